"""Checks an outage and its restoration plan with a pandapower AC power flow. No Django;
pandapower is imported here only, inside the functions.

Element keys are those of grid_import ("line:3", "trafo:0", "switch:5", "gen:1", ...).

A state is `ok` when the power flow converges, no in-service line or transformer is loaded
above its limit and every energised bus's voltage lies within its limits:

* loading: the element's own max_loading_percent when the case has one, else
  `max_loading_percent` (100 %);
* voltage: the bus's own min_vm_pu/max_vm_pu when the case has them, else `vm_limits`
  when given, else by level after GB/T 12325-2008 (the supply-voltage deviation limits):
  35 kV and above 0.95..1.05 p.u., below 35 kV 0.93..1.07 p.u.

A plan is judged on what it changes: verify_plan counts a violation against the restored
state only when the base case (before the trip) did not already have it at least as badly.
"""
import copy

# (lowest nominal voltage in kV, (min_vm_pu, max_vm_pu)), highest level first.
DEFAULT_VM_LIMITS_BY_LEVEL = ((35.0, (0.95, 1.05)), (0.0, (0.93, 1.07)))
DEFAULT_MAX_LOADING_PERCENT = 100.0
TOLERANCE = 1e-4
# A violation the base case already had counts against a plan only when it grew by more than this.
WORSE_VM_PU = 0.005
WORSE_LOADING_PERCENT = 1.0


def _split(key):
    table, _, idx = key.partition(":")
    if not idx.isdigit():
        raise ValueError(f"{key!r} is not a pandapower element key like 'line:3'")
    return table, int(idx)


def _row(net, key):
    """(table, index) of an element key, refused when the net has no such element (pandas
    would otherwise add the row when it is set)."""
    table, idx = _split(key)
    if table not in net or idx not in net[table].index:
        raise ValueError(f"{key!r} is not an element of this network")
    return table, idx


def _set_out_of_service(net, key):
    table, idx = _row(net, key)
    if table == "switch":
        net.switch.at[idx, "closed"] = False
    else:
        net[table].at[idx, "in_service"] = False


def apply_state(net, *, tripped=(), close=(), references=(), start=(), open_=(), shed=()):
    """A copy of `net` with the tripped elements out, the plan's switches closed and branches
    energised, the sectionalising points opened (open_: items with "switches", else the
    element goes out of service), the shed loads off, and the named generators made
    reference (slack) machines."""
    net = copy.deepcopy(net)
    for key in tripped:
        _set_out_of_service(net, key)
    for item in close:
        for sw in item.get("switches") or []:
            net.switch.at[_row(net, sw)[1], "closed"] = True
        if not item.get("switches"):
            table, idx = _row(net, item["element"])
            net[table].at[idx, "in_service"] = True
    for item in open_:
        for key in item.get("switches") or [item["element"]]:
            _set_out_of_service(net, key)
    for key in shed:
        net.load.at[_row(net, key)[1], "in_service"] = False
    for key in list(references) + list(start):
        table, idx = _row(net, key)
        net[table].at[idx, "in_service"] = True
        if table == "gen":
            net.gen.at[idx, "slack"] = True
    return net


def default_vm_limits(vn_kv):
    """(min_vm_pu, max_vm_pu) for a bus of nominal voltage `vn_kv` without limits of its own."""
    for floor, limits in DEFAULT_VM_LIMITS_BY_LEVEL:
        if vn_kv >= floor:
            return limits
    return DEFAULT_VM_LIMITS_BY_LEVEL[-1][1]


def bus_limits(net, vm_limits=None):
    """{bus index: (min_vm_pu, max_vm_pu)}: the bus's own, else vm_limits, else by level."""
    out = {}
    for i, row in net.bus.iterrows():
        fallback = tuple(vm_limits) if vm_limits else default_vm_limits(float(row["vn_kv"]))
        lo, hi = row.get("min_vm_pu"), row.get("max_vm_pu")
        out[i] = (float(lo) if lo is not None and lo == lo else fallback[0],  # noqa: PLR0124 (NaN check)
                  float(hi) if hi is not None and hi == hi else fallback[1])  # noqa: PLR0124
    return out


def _voltage_violations(net, energised, limits):
    out = []
    for i in energised:
        vm = float(net.res_bus.at[i, "vm_pu"])
        lo, hi = limits[i]
        if vm < lo - TOLERANCE:
            out.append({"element": f"bus:{int(i)}", "kind": "undervoltage", "value": round(vm, 4), "limit": lo})
        elif vm > hi + TOLERANCE:
            out.append({"element": f"bus:{int(i)}", "kind": "overvoltage", "value": round(vm, 4), "limit": hi})
    return out


def _loadings(net, max_loading_percent):
    """[(key, loading %, limit %)] of the in-service lines and transformers the flow loaded."""
    out = []
    for table in ("line", "trafo", "trafo3w"):
        res = net.get(f"res_{table}")
        if res is None or "loading_percent" not in res or not len(net[table]):
            continue
        own = net[table].get("max_loading_percent")
        for i, value in res.loading_percent.items():
            if value != value or not bool(net[table].at[i, "in_service"]):  # noqa: PLR0124 (NaN: not energised)
                continue
            limit = own.at[i] if own is not None else None
            limit = float(limit) if limit is not None and limit == limit else max_loading_percent  # noqa: PLR0124
            out.append((f"{table}:{int(i)}", float(value), limit))
    return out


def run(net, *, vm_limits=None, max_loading_percent=DEFAULT_MAX_LOADING_PERCENT):
    """An AC power flow of `net` (changed in place with the results). Returns a report:
    converged, energised and unsupplied buses (pandapower's own view: vm_pu NaN), voltage
    range, the highest loading, and `violations` (overloads and voltages outside limits,
    each with its element key, value and limit); `ok` when it converged with none."""
    import pandapower as pp

    from .grid_import import quiet_pandapower

    report = {"converged": False, "error": None, "ok": False, "violations": []}
    try:
        with quiet_pandapower():
            pp.runpp(net, numba=False, init="auto", max_iteration=30)
        report["converged"] = bool(net.converged)
    except Exception as exc:  # noqa: BLE001 (LoadflowNotConverged, or numerics failing on a singular system: a verdict)
        report["error"] = f"{type(exc).__name__}: {exc}"
        return report
    res = net.res_bus
    in_service = net.bus.in_service.astype(bool)
    energised = res.index[res.vm_pu.notna() & in_service.reindex(res.index, fill_value=False)]
    report["unsupplied_buses"] = sorted(f"bus:{int(i)}" for i in res.index[res.vm_pu.isna()]
                                        if bool(net.bus.at[i, "in_service"]))
    report["energised_buses"] = len(energised)
    vms = res.vm_pu[energised]
    report["vm_min_pu"] = round(float(vms.min()), 4) if len(vms) else None
    report["vm_max_pu"] = round(float(vms.max()), 4) if len(vms) else None
    voltage = _voltage_violations(net, energised, bus_limits(net, vm_limits))
    report["voltage_violations"] = [{"bus": v["element"], "vm_pu": v["value"], "limit": v["limit"]} for v in voltage]
    report["voltage_ok"] = not voltage
    loadings = _loadings(net, max_loading_percent)
    overloads = [{"element": key, "kind": "overload", "value": round(value, 1), "limit": limit}
                 for key, value, limit in loadings if value > limit + TOLERANCE]
    report["overloads"] = [{"element": o["element"], "loading_percent": o["value"], "limit": o["limit"]}
                           for o in overloads]
    worst = max(loadings, key=lambda t: t[1] / t[2] if t[2] else 0.0, default=None)
    report["max_loading"] = {"element": worst[0], "loading_percent": round(worst[1], 1),
                             "limit": worst[2]} if worst else None
    report["violations"] = overloads + voltage
    report["ok"] = report["converged"] and not report["violations"]
    return report


def _is_new(violation, known):
    """Whether a violation of the restored state is the plan's doing: the base case did not
    have it on that element, or had it less badly by more than the margin."""
    before = known.get((violation["element"], violation["kind"]))
    if before is None:
        return True
    margin = WORSE_LOADING_PERCENT if violation["kind"] == "overload" else WORSE_VM_PU
    return abs(violation["value"] - violation["limit"]) > abs(before["value"] - before["limit"]) + margin


def plan_checker(net, tripped, *, vm_limits=None, max_loading_percent=DEFAULT_MAX_LOADING_PERCENT):
    """check(plan) -> the power-flow verdict of a restoration plan (see verify_plan). The
    base case and the post-trip state are computed once, at the first check, so that a
    planner trying several alternatives pays one power flow per alternative."""
    tripped = list(tripped)
    limits = {"vm_limits": vm_limits, "max_loading_percent": max_loading_percent}
    states = {}

    def reference_states():
        if not states:
            states["base"] = run(copy.deepcopy(net), **limits)
            states["after_trip"] = run(apply_state(net, tripped=tripped), **limits)
            states["known"] = {(v["element"], v["kind"]): v for v in states["base"].get("violations", [])}
            states["after_trip"]["new_violations"] = [v for v in states["after_trip"].get("violations", [])
                                                      if _is_new(v, states["known"])]
        return states["base"], states["after_trip"], states["known"]

    def check(plan):
        base, after_trip, known = reference_states()
        restored = run(apply_state(net, tripped=tripped, close=plan.get("close", []), open_=plan.get("open", []),
                                   shed=plan.get("shed", []), references=plan.get("reference_sources", []),
                                   start=plan.get("start_sources", [])), **limits)
        violations = [v for v in restored.get("violations", []) if _is_new(v, known)]
        if not restored["converged"]:
            violations.insert(0, {"element": None, "kind": "not_converged", "value": None, "limit": None,
                                  "error": restored["error"]})
        expected_dark = set(plan.get("unrestored_buses", []))
        violations += [{"element": b, "kind": "unsupplied", "value": None, "limit": None}
                       for b in restored.get("unsupplied_buses", []) if b not in expected_dark]
        restored["new_violations"] = violations
        restored["new_voltage_violations"] = [v for v in violations if v["kind"] in ("undervoltage", "overvoltage")]
        return {"base": base, "after_trip": after_trip, "restored": restored, "ok": not violations,
                "violations": violations, "limits": {"vm_pu": list(vm_limits) if vm_limits else "the bus's own, else by level",
                           "max_loading_percent": max_loading_percent}}

    return check


def verify_plan(net, tripped, plan, *, vm_limits=None, max_loading_percent=DEFAULT_MAX_LOADING_PERCENT):
    """Power flows of the base case, the post-trip state and the restored state. `ok` when
    the restored state converges, loads no line or transformer beyond its limit and puts no
    energised bus outside its voltage limits (violations the base case already had, no
    worse, do not count), and leaves unsupplied only the buses the plan could not restore.
    `violations` names each one that counts: element key, kind (overload, undervoltage,
    overvoltage, unsupplied, not_converged), value and limit."""
    return plan_checker(net, tripped, vm_limits=vm_limits, max_loading_percent=max_loading_percent)(plan)
