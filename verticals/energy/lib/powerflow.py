"""Checks an outage and its restoration plan with a pandapower AC power flow. No Django;
pandapower is imported here only, inside the functions.

Element keys are those of grid_import ("line:3", "trafo:0", "switch:5", "gen:1", ...).
"""
import copy

DEFAULT_VM_LIMITS = (0.9, 1.1)
TOLERANCE = 1e-4


def _split(key):
    table, _, idx = key.partition(":")
    if not idx.isdigit():
        raise ValueError(f"{key!r} is not a pandapower element key like 'line:3'")
    return table, int(idx)


def apply_state(net, *, tripped=(), close=(), references=(), start=()):
    """A copy of `net` with the tripped elements out, the plan's switches closed and branches
    energised, and the named generators made reference (slack) machines."""
    net = copy.deepcopy(net)
    for key in tripped:
        table, idx = _split(key)
        if table == "switch":
            net.switch.at[idx, "closed"] = False
        else:
            net[table].at[idx, "in_service"] = False
    for item in close:
        for sw in item.get("switches") or []:
            net.switch.at[_split(sw)[1], "closed"] = True
        if not item.get("switches"):
            table, idx = _split(item["element"])
            net[table].at[idx, "in_service"] = True
    for key in list(references) + list(start):
        table, idx = _split(key)
        net[table].at[idx, "in_service"] = True
        if table == "gen":
            net.gen.at[idx, "slack"] = True
    return net


def run(net, *, vm_limits=None, max_loading_percent=100.0):
    """An AC power flow of `net` (changed in place with the results). Returns a report:
    converged, energised and unsupplied buses (pandapower's own view: vm_pu NaN), voltage
    range and violations against each bus's min/max_vm_pu (else vm_limits), overloads."""
    import pandapower as pp

    from .grid_import import quiet_pandapower

    report = {"converged": False, "error": None}
    try:
        with quiet_pandapower():
            pp.runpp(net, numba=False, init="auto", max_iteration=30)
        report["converged"] = bool(net.converged)
    except Exception as exc:  # pandapower raises LoadflowNotConverged and friends
        report["error"] = f"{type(exc).__name__}: {exc}"
        return report
    low, high = vm_limits or DEFAULT_VM_LIMITS
    res = net.res_bus
    energised = res.index[res.vm_pu.notna()]
    report["unsupplied_buses"] = sorted(f"bus:{int(i)}" for i in res.index[res.vm_pu.isna()]
                                        if bool(net.bus.at[i, "in_service"]))
    report["energised_buses"] = len(energised)
    violations = []
    for i in energised:
        vm = float(res.at[i, "vm_pu"])
        lo = net.bus.at[i, "min_vm_pu"] if "min_vm_pu" in net.bus else None
        hi = net.bus.at[i, "max_vm_pu"] if "max_vm_pu" in net.bus else None
        lo = float(lo) if lo is not None and lo == lo else low
        hi = float(hi) if hi is not None and hi == hi else high
        if vm < lo - TOLERANCE or vm > hi + TOLERANCE:
            violations.append({"bus": f"bus:{int(i)}", "vm_pu": round(vm, 4), "limits": [lo, hi]})
    vms = res.vm_pu[energised]
    report["vm_min_pu"] = round(float(vms.min()), 4) if len(vms) else None
    report["vm_max_pu"] = round(float(vms.max()), 4) if len(vms) else None
    report["voltage_violations"] = violations
    report["voltage_ok"] = not violations
    overloads = []
    for table in ("line", "trafo"):
        res_t = net[f"res_{table}"]
        if "loading_percent" in res_t:
            for i, value in res_t.loading_percent.items():
                if value == value and value > max_loading_percent:
                    overloads.append({"element": f"{table}:{int(i)}", "loading_percent": round(float(value), 1)})
    report["overloads"] = overloads
    return report


def verify_plan(net, tripped, plan, *, vm_limits=None):
    """Power flows of the base case, the post-trip state and the restored state. `ok` when
    the restored state converges, adds no voltage violation the base case did not have,
    and leaves unsupplied only the buses the plan could not restore."""
    base = run(copy.deepcopy(net), vm_limits=vm_limits)
    after_trip = run(apply_state(net, tripped=tripped), vm_limits=vm_limits)
    restored = run(apply_state(net, tripped=tripped, close=plan.get("close", []),
                               references=plan.get("reference_sources", []), start=plan.get("start_sources", [])),
                   vm_limits=vm_limits)
    known = {v["bus"] for v in base.get("voltage_violations", [])}
    for state in (after_trip, restored):
        if "voltage_violations" in state:
            state["new_voltage_violations"] = [v for v in state["voltage_violations"] if v["bus"] not in known]
    expected_dark = set(plan.get("unrestored_buses", []))
    ok = bool(restored["converged"] and not restored.get("new_voltage_violations")
              and set(restored.get("unsupplied_buses", [])) <= expected_dark)
    return {"base": base, "after_trip": after_trip, "restored": restored, "ok": ok}
