"""A pandapower network as knowledge-graph triples (the JSON import document of core.kg:
{"entities": [...], "relations": [...]}). No Django; pandapower is imported only by
load_case().

Keys are "<element>:<pandapower index>" (bus:12, line:3, trafo:0, trafo3w:0, switch:5,
gen:1, ext_grid:0, sgen:7, load:4), so a key maps straight back to the pandapower table.
Regions come from the buses' zone column; substations are the groups of buses joined by
transformers (a heuristic: transformers sit inside one substation).
"""
import contextlib
import json
import logging
import math
import warnings

# The networks that ship with pandapower (no download): name -> (function, description).
CASES = {
    "case14": ("case14", "IEEE 14-bus transmission test case"),
    "case118": ("case118", "IEEE 118-bus transmission test case"),
    "case300": ("case300", "IEEE 300-bus transmission test case"),
    "mv_oberrhein": ("mv_oberrhein", "MV Oberrhein: a real 20 kV distribution grid with open ring ties"),
}


@contextlib.contextmanager
def quiet_pandapower():
    """pandapower logs that numba (an optional speed-up) is absent on every load and power
    flow (we run without it on purpose) and warns about the shipped cases' old tap format."""
    log = logging.getLogger("pandapower.auxiliary")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # The shipped cases predate pandapower 3's tap tables; pandapower says so on every run.
            warnings.filterwarnings("ignore", message="tap_dependency_table is missing", category=DeprecationWarning)
            yield
    finally:
        log.setLevel(level)


def load_case(name):
    """A pandapower network shipped with pandapower."""
    if name not in CASES:
        raise ValueError(f"unknown grid case {name!r}; cases: {', '.join(CASES)}")
    with quiet_pandapower():
        import pandapower.networks as pn

        return getattr(pn, CASES[name][0])()


def _clean(value):
    """A pandas cell as plain JSON, None for missing."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def _attrs(row, mapping):
    """mapping: attribute -> (column, cast). Missing columns and NaN cells are left out."""
    out = {}
    for attr, (col, cast) in mapping.items():
        if col not in row.index:
            continue
        value = _clean(row[col])
        if value is None:
            continue
        try:
            out[attr] = cast(value)
        except (TypeError, ValueError):
            continue
    return out


def _name(row, default):
    name = _clean(row.get("name")) if "name" in row.index else None
    return str(name) if name not in (None, "") else default


def _geo(value):
    value = _clean(value)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _zone(value):
    value = _clean(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def net_to_triples(net, *, case=""):
    """Entities and relations of `net`, in the JSON import shape of core.kg."""
    entities, relations = [], []

    def entity(key, cls, name, attributes):
        entities.append({"key": key, "cls": cls, "name": name,
                         "attributes": {k: v for k, v in attributes.items() if v is not None}})

    def relate(src, typ, dst, **attributes):
        relations.append({"src": src, "type": typ, "dst": dst, "attributes": attributes})

    bus_name = {}
    zones = {}
    for idx, row in net.bus.iterrows():
        name = _name(row, f"Bus {idx}")
        if name.replace(".", "").isdigit():
            name = f"Bus {name}"
        bus_name[idx] = name
        attrs = _attrs(row, {"vn_kv": ("vn_kv", float), "in_service": ("in_service", bool),
                             "bus_type": ("type", str), "min_vm_pu": ("min_vm_pu", float),
                             "max_vm_pu": ("max_vm_pu", float)})
        attrs["pp_index"] = int(idx)
        zone = _zone(row["zone"]) if "zone" in row.index else None
        if zone is not None:
            attrs["zone"] = zone
            zones.setdefault(zone, []).append(idx)
        if "geo" in row.index:
            attrs["geo"] = _geo(row["geo"])
        entity(f"bus:{idx}", "Bus", name, attrs)
    for zone, buses in sorted(zones.items()):
        entity(f"zone:{zone}", "Region", f"Zone {zone}", {"code": zone})
        for b in buses:
            relate(f"bus:{b}", "located_in", f"zone:{zone}")

    for idx, row in net.line.iterrows():
        a, b = int(row["from_bus"]), int(row["to_bus"])
        attrs = _attrs(row, {"in_service": ("in_service", bool), "length_km": ("length_km", float),
                             "max_i_ka": ("max_i_ka", float), "r_ohm_per_km": ("r_ohm_per_km", float),
                             "x_ohm_per_km": ("x_ohm_per_km", float), "std_type": ("std_type", str),
                             "parallel": ("parallel", int)})
        attrs["pp_index"] = int(idx)
        entity(f"line:{idx}", "Line", _name(row, f"Line {bus_name[a]} - {bus_name[b]}"), attrs)
        relate(f"line:{idx}", "connects", f"bus:{a}", side="from")
        relate(f"line:{idx}", "connects", f"bus:{b}", side="to")

    trafo_groups = []
    for table, sides in (("trafo", ("hv", "lv")), ("trafo3w", ("hv", "mv", "lv"))):
        if table not in net or not len(net[table]):
            continue
        for idx, row in net[table].iterrows():
            buses = [int(row[f"{s}_bus"]) for s in sides]
            attrs = _attrs(row, {"in_service": ("in_service", bool), "sn_mva": ("sn_mva", float),
                                 "sn_mva3w": ("sn_hv_mva", float), "vn_hv_kv": ("vn_hv_kv", float),
                                 "vn_lv_kv": ("vn_lv_kv", float), "vk_percent": ("vk_percent", float),
                                 "std_type": ("std_type", str)})
            attrs.pop("sn_mva3w", None)
            attrs["pp_index"] = int(idx)
            key = f"{table}:{idx}"
            entity(key, "Transformer",
                   _name(row, f"Transformer {' - '.join(bus_name[b] for b in buses)}"), attrs)
            for side, b in zip(sides, buses):
                relate(key, "connects", f"bus:{b}", side=side)
            trafo_groups.append((key, buses))

    # Substations: buses joined by transformers, grouped (union-find).
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, buses in trafo_groups:
        for b in buses[1:]:
            parent[find(buses[0])] = find(b)
    groups = {}
    for b in list(parent):
        groups.setdefault(find(b), set()).add(b)
    bus_substation = {}
    for n, members in enumerate(sorted(groups.values(), key=min)):
        key = f"substation:{n}"
        kv = sorted({float(net.bus.at[b, "vn_kv"]) for b in members}, reverse=True)
        entity(key, "Substation", f"Substation at {bus_name[min(members)]}",
               {"code": f"S{n}", "voltage_levels_kv": kv})
        for b in sorted(members):
            bus_substation[b] = key
            relate(f"bus:{b}", "located_in", key)
    for tkey, buses in trafo_groups:
        relate(tkey, "located_in", bus_substation[buses[0]])

    if "switch" in net and len(net.switch):
        element_table = {"l": "line", "t": "trafo", "t3": "trafo3w", "b": "bus"}
        for idx, row in net.switch.iterrows():
            et = str(row["et"])
            closed = bool(row["closed"])
            attrs = _attrs(row, {"switch_type": ("type", str)})
            attrs.update(closed=closed, normally_open=not closed, element_type=et, pp_index=int(idx), in_service=True)
            key = f"switch:{idx}"
            entity(key, "Switch", _name(row, f"Switch {idx}"), attrs)
            relate(key, "connects", f"bus:{int(row['bus'])}", side="bus")
            if et in element_table:
                relate(key, "switches", f"{element_table[et]}:{int(row['element'])}")

    for table, cls, mapping in (
            ("ext_grid", "ExternalGrid", {"vm_pu": ("vm_pu", float)}),
            ("gen", "Generator", {"p_mw": ("p_mw", float), "vm_pu": ("vm_pu", float), "slack": ("slack", bool),
                                  "max_p_mw": ("max_p_mw", float), "min_p_mw": ("min_p_mw", float)}),
            ("sgen", "StaticGenerator", {"p_mw": ("p_mw", float), "q_mvar": ("q_mvar", float),
                                         "sgen_type": ("type", str)})):
        if table not in net:
            continue
        for idx, row in net[table].iterrows():
            attrs = _attrs(row, {"in_service": ("in_service", bool), **mapping})
            attrs["pp_index"] = int(idx)
            key = f"{table}:{idx}"
            bus = int(row["bus"])
            entity(key, cls, _name(row, f"{cls} at {bus_name[bus]}"), attrs)
            relate(key, "feeds", f"bus:{bus}")

    for idx, row in net.load.iterrows():
        attrs = _attrs(row, {"in_service": ("in_service", bool), "p_mw": ("p_mw", float),
                             "q_mvar": ("q_mvar", float)})
        attrs["pp_index"] = int(idx)
        bus = int(row["bus"])
        entity(f"load:{idx}", "Load", _name(row, f"Load at {bus_name[bus]}"), attrs)
        relate(f"bus:{bus}", "supplies", f"load:{idx}")
    return {"entities": entities, "relations": relations}


def case_triples(name):
    """(document, description) for a shipped case."""
    return net_to_triples(load_case(name), case=name), CASES[name][1]
