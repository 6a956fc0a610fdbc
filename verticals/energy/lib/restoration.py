"""Outage analysis and a restoration plan for a dispatcher. Pure networkx, no Django, no
pandapower (powerflow.py checks a plan with pandapower).

The input is the knowledge-graph projection of a grid (a MultiDiGraph as built by
core.kg.lib.graph: nodes are entity keys with "cls" and "attributes"; relations
"connects", "switches", "feeds", "supplies" as in verticals/energy/ontology.py).
topology() turns it into a bus-branch MultiGraph:

* nodes: in-service buses, with the in-service sources (Generator, ExternalGrid) that
  feed them, their standby (out-of-service) sources and their load in MW;
* edges: one per branch (line, transformer; a three-winding transformer gives hv-mv and
  hv-lv), keyed by the branch's key, and one per bus-bus switch; an edge is `closed`
  when the element is in service and none of its switches is open.

A bus is supplied when its island (connected component over closed edges) holds an
in-service generator or external grid.
"""
from collections import deque
from dataclasses import dataclass, field

import networkx as nx

SOURCE_CLASSES = {"Generator", "ExternalGrid"}
BRANCH_CLASSES = {"Line", "Transformer"}


class GridError(ValueError):
    pass


def _a(g, n):
    return g.nodes[n].get("attributes") or {}


def _in_service(g, n):
    return _a(g, n).get("in_service", True) is not False


def _bus_ends(g, element):
    """Buses a branch or switch `connects`, in side order (from/to, hv/mv/lv, bus)."""
    ends = []
    for _, bus, data in g.out_edges(element, data=True):
        if data.get("type") == "connects" and g.nodes[bus].get("cls") == "Bus":
            ends.append(((data.get("attributes") or {}).get("side", ""), bus))
    order = {"from": 0, "hv": 0, "bus": 0, "mv": 1, "to": 2, "lv": 2}
    return [b for _, b in sorted(ends, key=lambda e: (order.get(e[0], 3), e[1]))]


def topology(kg):
    """The bus-branch MultiGraph of a grid knowledge graph (see the module doc)."""
    topo = nx.MultiGraph()
    for n, d in kg.nodes(data=True):
        if d.get("cls") == "Bus" and _in_service(kg, n):
            topo.add_node(n, name=d.get("name", n), sources=[], standby=[], load_mw=0.0, loads=[])
    # Switches on branches (a switch "switches" a branch), by branch.
    switches_of = {}
    bus_switches = []
    for n, d in kg.nodes(data=True):
        if d.get("cls") != "Switch":
            continue
        for _, target, data in kg.out_edges(n, data=True):
            if data.get("type") != "switches":
                continue
            if kg.nodes[target].get("cls") == "Bus":
                bus_switches.append((n, target))
            else:
                switches_of.setdefault(target, []).append(n)
    for n, d in kg.nodes(data=True):
        cls = d.get("cls")
        if cls in BRANCH_CLASSES:
            ends = _bus_ends(kg, n)
            if len(ends) < 2:
                continue
            sw = sorted(switches_of.get(n, []))
            open_sw = [s for s in sw if _a(kg, s).get("closed", True) is False]
            pairs = [(ends[0], e) for e in ends[1:]]
            for a, b in pairs:
                if a in topo and b in topo:
                    topo.add_edge(a, b, key=n if len(pairs) == 1 else f"{n}@{b}", element=n, cls=cls,
                                  name=d.get("name", n), in_service=_in_service(kg, n), switches=sw,
                                  open_switches=open_sw, closed=_in_service(kg, n) and not open_sw)
        elif cls in SOURCE_CLASSES or cls == "Load":
            if cls in SOURCE_CLASSES:
                topo.graph.setdefault("sources", {})[n] = {"cls": cls, "slack": bool(_a(kg, n).get("slack")),
                                                          "p_mw": _a(kg, n).get("p_mw")}
            for _, bus, data in kg.out_edges(n, data=True):
                if data.get("type") == "feeds" and bus in topo:
                    topo.nodes[bus]["sources" if _in_service(kg, n) else "standby"].append(n)
            if cls == "Load" and _in_service(kg, n):
                for bus, _, data in kg.in_edges(n, data=True):
                    if data.get("type") == "supplies" and bus in topo:
                        topo.nodes[bus]["load_mw"] += float(_a(kg, n).get("p_mw") or 0.0)
                        topo.nodes[bus]["loads"].append(n)
    for sw, other in bus_switches:
        ends = _bus_ends(kg, sw)
        if ends and ends[0] in topo and other in topo:
            closed = _a(kg, sw).get("closed", True) is not False
            topo.add_edge(ends[0], other, key=sw, element=sw, cls="Switch", name=kg.nodes[sw].get("name", sw),
                          in_service=True, switches=[sw], open_switches=[] if closed else [sw], closed=closed)
    return topo


def trippable(topo):
    """{element key: name} of the in-service lines and transformers (closed, no open switch):
    what a dispatcher may trip or record as faulted."""
    out = {}
    for _a, _b, _k, d in topo.edges(keys=True, data=True):
        if d["cls"] in BRANCH_CLASSES and d["closed"] and d["element"] not in out:
            out[d["element"]] = d.get("name") or d["element"]
    return out


def _closed_view(topo, removed):
    removed = set(removed)
    return nx.subgraph_view(topo, filter_edge=lambda a, b, k: topo.edges[a, b, k]["closed"]
                            and topo.edges[a, b, k]["element"] not in removed)


def _islands(topo, removed=()):
    view = _closed_view(topo, removed)
    out = []
    for comp in nx.connected_components(view):
        sources = sorted(s for b in comp for s in topo.nodes[b]["sources"])
        out.append({"buses": sorted(comp), "sources": sources, "supplied": bool(sources),
                    "load_mw": round(sum(topo.nodes[b]["load_mw"] for b in comp), 6)})
    out.sort(key=lambda i: (-len(i["buses"]), i["buses"][0]))
    return out


def _element_edges(topo, element):
    return [(a, b, k) for a, b, k, d in topo.edges(keys=True, data=True) if d["element"] == element]


@dataclass
class Outage:
    tripped: list
    islands: list                      # after the trip: [{buses, sources, supplied, load_mw}]
    lost_buses: list                   # supplied before, unsupplied after
    lost_load_mw: float
    unsupplied_before: list = field(default_factory=list)
    alternative_paths: dict = field(default_factory=dict)  # element -> bus path between its ends, if any

    def as_dict(self):
        return {"tripped": self.tripped, "islands": self.islands, "lost_buses": self.lost_buses,
                "lost_load_mw": self.lost_load_mw, "unsupplied_before": self.unsupplied_before,
                "alternative_paths": self.alternative_paths}


def analyse(topo, tripped):
    """Islands and lost buses after `tripped` (element keys: lines, transformers, bus-bus switches) open."""
    tripped = [tripped] if isinstance(tripped, str) else list(tripped)
    if not tripped:
        raise GridError("name at least one tripped line, transformer or switch")
    for element in tripped:
        if not _element_edges(topo, element):
            raise GridError(f"{element!r} is not a line, transformer or bus switch of this grid")
    before = {b for i in _islands(topo) if i["supplied"] for b in i["buses"]}
    islands = _islands(topo, tripped)
    after = {b for i in islands if i["supplied"] for b in i["buses"]}
    lost = sorted(before - after)
    view = _closed_view(topo, tripped)
    alt = {}
    for element in tripped:
        a, b, _ = _element_edges(topo, element)[0]
        try:
            alt[element] = nx.shortest_path(view, a, b)
        except nx.NetworkXNoPath:
            alt[element] = None
    return Outage(tripped=tripped, islands=islands, lost_buses=lost,
                  lost_load_mw=round(sum(topo.nodes[b]["load_mw"] for b in lost), 6),
                  unsupplied_before=sorted(set(topo.nodes) - before), alternative_paths=alt)


def _label(topo, bus):
    return topo.nodes[bus].get("name", bus)


def _reference_steps(topo, islands, tripped):
    """New islands that kept supply only from generators without a reference machine (no
    external grid, no slack generator): the machine that must take the reference."""
    before = {frozenset(i["buses"]) for i in _islands(topo)}
    info = topo.graph.get("sources", {})
    reference, steps = [], []
    for isl in islands:
        if not isl["supplied"] or frozenset(isl["buses"]) in before:
            continue
        if any(info.get(s, {}).get("cls") == "ExternalGrid" or info.get(s, {}).get("slack") for s in isl["sources"]):
            continue
        gen = max(isl["sources"], key=lambda s: (info.get(s, {}).get("p_mw") or 0.0, s))
        reference.append(gen)
        steps.append({"action": "island_reference", "element": gen,
                      "text": f"Island of {len(isl['buses'])} bus(es) runs on local generation: make {gen} the "
                              f"reference machine (voltage and frequency) and balance its {isl['load_mw']:g} MW, "
                              f"or resynchronise it when {', '.join(tripped)} is back."})
    return reference, steps


def plan(topo, tripped, *, max_switching=50):
    """A restoration plan: which normally-open ties (or out-of-service branches) to close,
    in order, to bring the lost buses back, or which standby source to start; with the
    dispatcher's steps. Returns a dict (see keys below)."""
    outage = analyse(topo, tripped)
    tripped = outage.tripped
    steps = []
    # 1. isolate the tripped elements
    for element in tripped:
        a, b, k = _element_edges(topo, element)[0]
        d = topo.edges[a, b, k]
        closed_sw = [s for s in d["switches"] if s not in d["open_switches"]]
        text = f"Confirm the trip of {d['name']} ({_label(topo, a)} - {_label(topo, b)})"
        text += f" and isolate it: open {', '.join(closed_sw)}." if closed_sw else " and keep it out of service."
        steps.append({"action": "isolate", "element": element, "open": closed_sw, "text": text})
    lost = set(outage.lost_buses)
    reference, reference_steps = _reference_steps(topo, outage.islands, tripped)
    if not lost:
        steps += reference_steps
        for element, path in outage.alternative_paths.items():
            if path:
                via = " - ".join(_label(topo, b) for b in path)
                steps.append({"action": "none", "element": element, "path": path,
                              "text": f"No bus lost supply: the ends of {element} stay connected via {via}. "
                                      f"Check the loading of that path."})
        steps.append({"action": "verify", "text": "Run a power flow of the post-trip state; check voltages and "
                                                  "line loadings."})
        return {"outage": outage.as_dict(), "close": [], "reference_sources": reference, "start_sources": [],
                "restored_buses": [], "unrestored_buses": [], "steps": steps}

    # 2. component graph: islands after the trip joined by candidate ties (open or
    #    out-of-service elements other than the tripped ones), breadth first from the
    #    supplied islands: fewest switching operations per dead island.
    islands = outage.islands
    island_of = {b: n for n, isl in enumerate(islands) for b in isl["buses"]}
    ties = {}
    for a, b, k, d in sorted(topo.edges(keys=True, data=True), key=lambda e: str(e[2])):
        if d["closed"] or d["element"] in tripped:
            continue
        ia, ib = island_of[a], island_of[b]
        if ia == ib:
            continue
        ties.setdefault((min(ia, ib), max(ia, ib)), (a, b, k))
    adj = {}
    for (ia, ib), tie in ties.items():
        adj.setdefault(ia, []).append((ib, tie))
        adj.setdefault(ib, []).append((ia, tie))
    via = {n: None for n, isl in enumerate(islands) if isl["supplied"]}
    queue = deque(sorted(via))
    while queue:
        n = queue.popleft()
        for m, tie in adj.get(n, []):
            if m not in via:
                via[m] = (n, tie)
                queue.append(m)
    to_close, restored, unrestored, start_sources = [], set(), set(), []
    dead = [n for n, isl in enumerate(islands) if not isl["supplied"] and set(isl["buses"]) & lost]
    dead.sort(key=lambda n: (-islands[n]["load_mw"], islands[n]["buses"][0]))
    for n in dead:
        if n in via:
            chain, m = [], n
            while via[m] is not None:
                parent, tie = via[m]
                chain.append((tie, m))
                m = parent
            for tie, m in reversed(chain):  # from the supplied side outwards
                if tie not in [t for t, _ in to_close]:
                    to_close.append((tie, m))
            restored.update(b for b in islands[n]["buses"] if b in lost)
            continue
        standby = sorted(s for b in islands[n]["buses"] for s in topo.nodes[b]["standby"])
        if standby:
            start_sources.append((standby[0], n))
            restored.update(b for b in islands[n]["buses"] if b in lost)
        else:
            unrestored.update(b for b in islands[n]["buses"] if b in lost)
    if len(to_close) > max_switching:
        raise GridError(f"the plan needs {len(to_close)} switching operations, over the {max_switching} limit")
    close = []
    for (a, b, k), m in to_close:
        d = topo.edges[a, b, k]
        picked = islands[m]
        if d["open_switches"]:
            what = f"Close normally-open {', '.join(d['open_switches'])} on {d['name']}"
            action = "close_switch"
        else:
            what = f"Return {d['name']} to service"
            action = "energise_branch"
        close.append({"element": d["element"], "switches": d["open_switches"], "buses": [a, b], "action": action})
        steps.append({"action": action, "element": d["element"], "switches": d["open_switches"],
                      "text": f"{what} ({_label(topo, a)} - {_label(topo, b)}): picks up {len(picked['buses'])} "
                              f"bus(es), {picked['load_mw']:g} MW."})
    for source, n in start_sources:
        steps.append({"action": "start_source", "element": source,
                      "text": f"Start standby source {source} and energise the island of {len(islands[n]['buses'])} "
                              f"bus(es) ({islands[n]['load_mw']:g} MW) from it."})
    steps += reference_steps
    if unrestored:
        load = sum(topo.nodes[b]["load_mw"] for b in unrestored)
        steps.append({"action": "unrestorable", "buses": sorted(unrestored),
                      "text": f"No tie or standby source reaches {len(unrestored)} bus(es) ({load:g} MW): they stay "
                              f"off supply until {', '.join(tripped)} is repaired and re-energised."})
    steps.append({"action": "verify", "text": "Run a power flow of the restored state; check voltages and line "
                                              "loadings before each switching step is confirmed."})
    return {"outage": outage.as_dict(), "close": close, "reference_sources": reference,
            "start_sources": [s for s, _ in start_sources], "restored_buses": sorted(restored),
            "unrestored_buses": sorted(unrestored), "steps": steps}


def restored_islands(topo, tripped, closed_elements):
    """Islands once the tripped elements are out and `closed_elements` are closed
    (what a power flow of the restored state should find)."""
    t = topo.copy()
    for a, b, k, d in t.edges(keys=True, data=True):
        if d["element"] in closed_elements:
            d["closed"] = True
    return _islands(t, tripped)
