"""Outage analysis and a restoration plan for a dispatcher. Pure networkx, no Django, no
pandapower (powerflow.py checks a plan with pandapower).

The input is the knowledge-graph projection of a grid (a MultiDiGraph as built by
core.kg.lib.graph: nodes are entity keys with "cls" and "attributes"; relations
"connects", "switches", "feeds", "supplies" as in verticals/energy/ontology.py).
topology() turns it into a bus-branch MultiGraph:

* nodes: in-service buses, with the in-service sources (Generator, ExternalGrid) that
  feed them and can carry load, their standby (out-of-service) sources, their in-service
  condensers (0 MW machines), and their loads and load in MW;
* edges: one per branch (line, transformer; a three-winding transformer gives hv-mv and
  hv-lv), keyed by the branch's key, and one per bus-bus switch; an edge is `closed`
  when the element is in service and none of its switches is open.

A bus is supplied when its island (connected component over closed edges) holds a source
that can carry load: an in-service external grid, or an in-service generator that delivers
active power (see delivers_active_power). A machine scheduled at 0 MW is a synchronous
condenser: it holds voltage but cannot supply an island, so an island whose only machine is
one is not supplied (and a power flow, which needs a reference machine with power behind
it, agrees). Static generators (inverters) never count: they cannot form an island.

plan() finds which ties to close; given a power-flow `check` (powerflow.plan_checker) it
verifies the plan and, when the one-tie plan fails, tries the alternatives in order (see
plan's doc) and says which one passed, or that none did and why.
"""
import math
import weakref
from collections import deque
from dataclasses import dataclass, field

import networkx as nx

SOURCE_CLASSES = {"Generator", "ExternalGrid"}
BRANCH_CLASSES = {"Line", "Transformer"}
# Load classes as in GB 50052 (一级/二级/三级负荷): 1 is the most critical; the highest number
# is shed first, and a load without a priority counts as the lowest class.
DEFAULT_LOAD_PRIORITY = 3


class GridError(ValueError):
    pass


def _a(g, n):
    return g.nodes[n].get("attributes") or {}


def _in_service(g, n):
    return _a(g, n).get("in_service", True) is not False


def delivers_active_power(cls, attributes):
    """Whether a source can carry an island's load: an external grid always; a generator when
    it is the slack, or is scheduled above 0 MW, or (with no schedule) has a positive
    max_p_mw. A generator scheduled at 0 MW is taken for a synchronous condenser: in the
    MATPOWER cases every such machine is one (case14's at IEEE buses 3, 6 and 8, case118's
    35), and their max_p_mw of 100 is the format's placeholder, not a capacity."""
    if cls == "ExternalGrid":
        return True
    if cls != "Generator":
        return False
    if attributes.get("slack"):
        return True
    p_mw = attributes.get("p_mw")
    if p_mw is not None:
        return float(p_mw) > 0
    return float(attributes.get("max_p_mw") or 0.0) > 0


def _bus_ends(g, element):
    """Buses a branch or switch `connects`, in side order (from/to, hv/mv/lv, bus)."""
    ends = []
    for _, bus, data in g.out_edges(element, data=True):
        if data.get("type") == "connects" and g.nodes[bus].get("cls") == "Bus":
            ends.append(((data.get("attributes") or {}).get("side", ""), bus))
    order = {"from": 0, "hv": 0, "bus": 0, "mv": 1, "to": 2, "lv": 2}
    return [b for _, b in sorted(ends, key=lambda e: (order.get(e[0], 3), e[1]))]


def _add_source(topo, kg, n, cls):
    active = delivers_active_power(cls, _a(kg, n))
    topo.graph.setdefault("sources", {})[n] = {"cls": cls, "slack": bool(_a(kg, n).get("slack")),
                                              "p_mw": _a(kg, n).get("p_mw"), "active": active}
    role = ("sources" if _in_service(kg, n) else "standby") if active else "condensers"
    for _, bus, data in kg.out_edges(n, data=True):
        if data.get("type") == "feeds" and bus in topo and (role != "condensers" or _in_service(kg, n)):
            topo.nodes[bus][role].append(n)


def _add_load(topo, kg, n):
    priority = _a(kg, n).get("priority")
    for bus, _, data in kg.in_edges(n, data=True):
        if data.get("type") == "supplies" and bus in topo:
            p_mw = float(_a(kg, n).get("p_mw") or 0.0)
            topo.nodes[bus]["load_mw"] += p_mw
            topo.nodes[bus]["loads"].append(n)
            topo.graph.setdefault("loads", {})[n] = {
                "bus": bus, "p_mw": p_mw, "name": kg.nodes[n].get("name", n),
                "priority": int(priority) if priority is not None else DEFAULT_LOAD_PRIORITY}


def topology(kg):
    """The bus-branch MultiGraph of a grid knowledge graph (see the module doc)."""
    topo = nx.MultiGraph()
    for n, d in kg.nodes(data=True):
        if d.get("cls") == "Bus" and _in_service(kg, n):
            topo.add_node(n, name=d.get("name", n), sources=[], standby=[], condensers=[], load_mw=0.0, loads=[])
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
        elif cls in SOURCE_CLASSES:
            _add_source(topo, kg, n, cls)
        elif cls == "Load" and _in_service(kg, n):
            _add_load(topo, kg, n)
    topo.graph["switch_bus"] = {n: ends[0] for n, d in kg.nodes(data=True)
                                if d.get("cls") == "Switch" and (ends := _bus_ends(kg, n))}
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


_summaries = weakref.WeakKeyDictionary()  # topology -> _Summary (a topology is copied before it changes)


@dataclass
class _Summary:
    element_edges: dict   # element -> [(a, b, key)]
    component: dict       # bus -> number of its component of the closed grid
    counts: list          # per component: (sources, reference sources)


def _summary(topo):
    s = _summaries.get(topo)
    if s is None:
        edges = {}
        for a, b, k, d in topo.edges(keys=True, data=True):
            edges.setdefault(d["element"], []).append((a, b, k))
        component, counts = {}, []
        for n, comp in enumerate(nx.connected_components(_closed_view(topo, ()))):
            component.update(dict.fromkeys(comp, n))
            counts.append(_source_counts(topo, comp))
        s = _summaries[topo] = _Summary(edges, component, counts)
    return s


def _source_counts(topo, buses):
    """(sources, reference sources: external grids and slack machines) on `buses`."""
    info = topo.graph.get("sources", {})
    sources = [s for b in buses for s in topo.nodes[b]["sources"]]
    return len(sources), sum(1 for s in sources if info.get(s, {}).get("cls") == "ExternalGrid"
                             or info.get(s, {}).get("slack"))


def _element_edges(topo, element):
    return _summary(topo).element_edges.get(element, [])


def _lockstep(view, starts):
    """The components of `view` around `starts`, walked from every start one step at a time,
    walks that meet joined, until at most one walk is left unfinished: (finished components,
    whether one is left). The cost follows the smaller sides of a split, not the grid."""
    root = {}
    def find(w):
        while root[w] != w:
            root[w] = root[root[w]]
            w = root[w]
        return w

    owner, queues = {}, {}
    for s in starts:
        if s not in owner:
            owner[s] = root[s] = s
            queues[s] = deque([s])
    active, finished = list(queues), []
    while len(active) > 1:
        for w in list(active):
            if w not in active:
                continue
            if not queues[w]:
                active.remove(w)
                finished.append(w)
                continue
            node = queues[w].popleft()
            for nb in view.neighbors(node):
                other = owner.get(nb)
                if other is None:
                    owner[nb] = w
                    queues[w].append(nb)
                elif (other := find(other)) != w:
                    root[other] = w
                    queues[w].extend(queues.pop(other))
                    active.remove(other)
    parts = {w: set() for w in finished}
    for node, w in owner.items():
        w = find(w)
        if w in parts:
            parts[w].add(node)
    return list(parts.values()), bool(active)


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


def outage_effect(topo, tripped):
    """(lost, cut) when `tripped` open: buses that lose supply (as analyse() says) and buses cut
    off from the reference (an external grid or slack machine). Each grid component a trip
    touches is walked from the tripped ends in lockstep, so the cost follows the parts the
    trip splits off, not the grid (a meshed line in a big grid costs a few steps)."""
    tripped = [tripped] if isinstance(tripped, str) else list(tripped)
    summary = _summary(topo)
    ends = set()
    for element in tripped:
        edges = summary.element_edges.get(element)
        if not edges:
            raise GridError(f"{element!r} is not a line, transformer or bus switch of this grid")
        ends.update(n for a, b, _ in edges for n in (a, b))
    after_view = _closed_view(topo, tripped)
    by_component = {}
    for end in sorted(ends):
        by_component.setdefault(summary.component[end], []).append(end)
    lost, cut = set(), set()
    for number, starts in by_component.items():
        sources, references = summary.counts[number]
        parts, rest_left = _lockstep(after_view, starts)
        counted = [(part, *_source_counts(topo, part)) for part in parts]
        if rest_left:
            rest_sources = sources - sum(c[1] for c in counted)
            rest_references = references - sum(c[2] for c in counted)
            if (sources and not rest_sources) or (references and not rest_references):
                split = set().union(*parts)
                rest = {b for b, n in summary.component.items() if n == number and b not in split}
                counted.append((rest, rest_sources, rest_references))
        for part, part_sources, part_references in counted:
            if sources and not part_sources:
                lost |= part
            if references and not part_references:
                cut |= part
    return sorted(lost), sorted(cut)


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


# -- the restoration plan -----------------------------------------------------------------

# Alternatives tried, in this order, when the one-tie plan fails its power-flow check.
STRATEGIES = ("other_tie", "staged", "shed")
# Power flows a search may run after the one-tie plan's own: it stops there, and says so.
MAX_ATTEMPTS = 16
# Shedding more than this share of the load a plan picks up is no longer a restoration.
MAX_SHED_SHARE = 0.5
# Second ties tried to pick up the part of an island a staged pick-up left off.
MAX_SECOND_TIES = 2
# Switches a staged pick-up may open inside a dead island to cut off the part it leaves.
MAX_OPEN_POINTS = 3
# Violations kept per attempt in the plan (the count says how many there were).
MAX_REPORTED = 5


def _key_order(key):
    table, _, idx = str(key).partition(":")
    return (table, int(idx) if idx.isdigit() else -1, str(key))


def _load_mw(topo, buses):
    return round(sum(topo.nodes[b]["load_mw"] for b in buses), 6)


@dataclass
class Candidate:
    """One way to restore the lost buses: ties to close, each with the island it picks up
    and the buses of it that it picks up; sectionalising points to open inside dead islands;
    loads kept off."""
    strategy: str
    ties: list                                  # [(edge, island index, picked-up buses)], closing order
    opened: list = field(default_factory=list)  # [(edge, buses left beyond it)]
    shed: list = field(default_factory=list)    # load keys

    def replace_tie(self, i, tie, strategy, *, opened=()):
        ties = list(self.ties)
        ties[i] = tie
        return Candidate(strategy, ties, self.opened + list(opened), list(self.shed))


@dataclass
class _Restoration:
    """The topological restoration after a trip: the islands, every tie between two of them,
    the one-tie plan (breadth first from the supplied islands), standby sources to start."""
    islands: list
    island_of: dict           # bus -> island index
    lost: set
    ties: dict                # (island a, island b), a < b -> [edge], by key
    to_close: list            # [(edge, island it picks up)] from the supplied side outwards
    start_sources: list       # [(source, island)]
    unrestorable: set


def _isolate_steps(topo, tripped):
    steps = []
    for element in tripped:
        a, b, k = _element_edges(topo, element)[0]
        d = topo.edges[a, b, k]
        closed_sw = [s for s in d["switches"] if s not in d["open_switches"]]
        text = f"Confirm the trip of {d['name']} ({_label(topo, a)} - {_label(topo, b)})"
        text += f" and isolate it: open {', '.join(closed_sw)}." if closed_sw else " and keep it out of service."
        steps.append({"action": "isolate", "element": element, "open": closed_sw, "text": text})
    return steps


def _base_restoration(topo, outage):
    """Islands after the trip joined by candidate ties (open or out-of-service elements other
    than the tripped ones), breadth first from the supplied islands: fewest switching
    operations per dead island; a dead island no tie reaches starts a standby source."""
    islands, lost = outage.islands, set(outage.lost_buses)
    island_of = {b: n for n, isl in enumerate(islands) for b in isl["buses"]}
    ties = {}
    for a, b, k, d in sorted(topo.edges(keys=True, data=True), key=lambda e: str(e[2])):
        if d["closed"] or d["element"] in outage.tripped or island_of[a] == island_of[b]:
            continue
        ties.setdefault(tuple(sorted((island_of[a], island_of[b]))), []).append((a, b, k))
    adj = {}
    for (ia, ib), edges in ties.items():
        adj.setdefault(ia, []).append((ib, edges[0]))
        adj.setdefault(ib, []).append((ia, edges[0]))
    via = {n: None for n, isl in enumerate(islands) if isl["supplied"]}
    queue = deque(sorted(via))
    while queue:
        n = queue.popleft()
        for m, tie in adj.get(n, []):
            if m not in via:
                via[m] = (n, tie)
                queue.append(m)
    to_close, start_sources, unrestorable = [], [], set()
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
            continue
        standby = sorted(s for b in islands[n]["buses"] for s in topo.nodes[b]["standby"])
        if standby:
            start_sources.append((standby[0], n))
        else:
            unrestorable.update(b for b in islands[n]["buses"] if b in lost)
    return _Restoration(islands=islands, island_of=island_of, lost=lost, ties=ties, to_close=to_close, start_sources=start_sources,
                        unrestorable=unrestorable)


def _restored(topo, outage, r, cand):
    """The lost buses `cand` brings back: supplied once its ties close and its sectionalising
    points open, or in an island a standby source starts."""
    removed = list(outage.tripped) + [topo.edges[e]["element"] for e, _ in cand.opened]
    t = topo.copy()
    for e, _m, _buses in cand.ties:
        t.edges[e]["closed"] = True
    supplied = {b for isl in _islands(t, removed) if isl["supplied"] for b in isl["buses"]}
    started = {b for _, n in r.start_sources for b in r.islands[n]["buses"]}
    return (supplied | started) & r.lost


def _switch_to_open(topo, edge, beyond):
    """The switch that opens `edge`: the one at its end beyond the cut when there is one."""
    d = topo.edges[edge]
    at = topo.graph.get("switch_bus", {})
    return next((s for s in d["switches"] if at.get(s) in beyond), d["switches"][0])


def _as_plan(topo, outage, r, cand, reference):
    """The plan fields of a candidate: what powerflow.plan_checker switches and expects dark."""
    close = []
    for e, _m, _buses in cand.ties:
        d = topo.edges[e]
        close.append({"element": d["element"], "switches": d["open_switches"], "buses": [e[0], e[1]],
                      "action": "close_switch" if d["open_switches"] else "energise_branch"})
    opened = [{"element": topo.edges[e]["element"], "switches": [_switch_to_open(topo, e, beyond)],
               "buses": [e[0], e[1]]} for e, beyond in cand.opened]
    restored = _restored(topo, outage, r, cand)
    loads = topo.graph.get("loads", {})
    return {"close": close, "open": opened, "shed": list(cand.shed),
            "shed_mw": round(sum(loads[x]["p_mw"] for x in cand.shed), 6),
            "reference_sources": reference, "start_sources": [s for s, _ in r.start_sources],
            "restored_buses": sorted(restored), "unrestored_buses": sorted(r.lost - restored),
            "left_dark": sorted(r.lost - restored - r.unrestorable)}


def _severity(verdict):
    """How far a failed attempt is from passing, to pick the best one to report: an overload's
    excess in units of its limit, a voltage's in tenths of a p.u., an unsupplied bus 1."""
    if verdict["ok"]:
        return 0.0
    total = 0.0
    for v in verdict["violations"]:
        if v["kind"] == "not_converged":
            return math.inf
        if v["kind"] == "overload":
            total += (v["value"] - v["limit"]) / max(v["limit"], 1.0)
        elif v["kind"] in ("undervoltage", "overvoltage"):
            total += abs(v["value"] - v["limit"]) * 10
        else:
            total += 1.0
    return total


class _Search:
    """Runs the power-flow check on candidates, one flow each, within the cap."""

    def __init__(self, topo, outage, r, reference, check, max_attempts):
        self.topo, self.outage, self.r, self.reference = topo, outage, r, reference
        self.check, self.max_attempts = check, max_attempts
        self.tried = []  # [(candidate, plan fields, verdict)]
        self.capped = False

    def budget_left(self):
        return len(self.tried) <= self.max_attempts  # the one-tie plan's own check is not counted

    def attempt(self, cand):
        if not self.budget_left():
            self.capped = True
            return False
        fields = _as_plan(self.topo, self.outage, self.r, cand, self.reference)
        verdict = self.check(fields)
        self.tried.append((cand, fields, verdict))
        return verdict["ok"]

    def best(self, strategies=None):
        tried = [t for t in self.tried if strategies is None or t[0].strategy in strategies]
        return min(tried, key=lambda t: _severity(t[2]), default=None)


def _first_passing(search, candidates):
    """The first candidate that passes, by bisection: the candidates are ordered so that each
    leaves off at least as much load as the one before, so once one passes the later ones
    do too. About log2(n) + 1 power flows."""
    lo, hi, found = 0, len(candidates) - 1, None
    while lo <= hi:
        if not search.budget_left():
            search.capped = True  # what it found passes, but a better one may have been left untried
            break
        mid = (lo + hi) // 2
        if search.attempt(candidates[mid]):
            found, hi = candidates[mid], mid - 1
        else:
            lo = mid + 1
    return found


def _direct(r, tie):
    """Whether a tie picks its island up straight from a supplied island (not through another dead one)."""
    (a, b, _k), m, _buses = tie
    other = r.island_of[b] if r.island_of[a] == m else r.island_of[a]
    return r.islands[other]["supplied"]


def _alternative_ties(r, m, current):
    """Other ties that join dead island m straight to a supplied island, by key."""
    out = []
    for (ia, ib), edges in r.ties.items():
        other = ib if ia == m else ia if ib == m else None
        if other is not None and r.islands[other]["supplied"]:
            out += [e for e in edges if e != current]
    return sorted(out, key=lambda e: _key_order(e[2]))


def _try_other_ties(search, base):
    for i, tie in enumerate(base.ties):
        if not _direct(search.r, tie):
            continue
        edge, m, buses = tie
        for other in _alternative_ties(search.r, m, edge):
            cand = base.replace_tie(i, (other, m, buses), "other_tie")
            if search.attempt(cand):
                return cand
            if not search.budget_left():
                return None
    return None


def _island_graph(topo, tripped, buses):
    buses = set(buses)
    sub = nx.MultiGraph()
    sub.add_nodes_from(buses)
    for a, b, k, d in topo.edges(buses, keys=True, data=True):
        if a in buses and b in buses and d["closed"] and d["element"] not in tripped:
            sub.add_edge(a, b, key=k)
    return sub


def _stages(topo, tripped, buses, entry):
    """[(picked-up part, [(edge to open, buses beyond it)])]: the island picked up from
    `entry` outwards (breadth first, so the farthest buses are left off first), cut where at
    most MAX_OPEN_POINTS switchable edges separate the part from the rest; the largest
    part first. The parts are nested, which is what the bisection over them relies on."""
    sub = _island_graph(topo, tripped, buses)
    order = [entry] + [b for _, b in nx.bfs_edges(sub, entry, sort_neighbors=lambda ns: sorted(ns, key=_key_order))]
    stages, part = [], set()
    for bus in order[:-1]:
        part.add(bus)
        boundary = [(a, b, k) for a, b, k in sub.edges(part, keys=True) if (a in part) != (b in part)]
        if len(boundary) > MAX_OPEN_POINTS or not all(topo.edges[e]["switches"] for e in boundary):
            continue
        rest = sub.subgraph(set(sub) - part)
        cuts = [(e, sorted(nx.node_connected_component(rest, e[1] if e[0] in part else e[0]))) for e in boundary]
        stages.append((sorted(part), cuts))
    return stages[::-1]


def _try_staged(search, start):
    """Pick up part of a dead island from its tie, the most load that passes, cut off at
    switches inside the island; then try a second tie for what it left off."""
    topo, r = search.topo, search.r
    for i, tie in enumerate(start.ties):
        if not _direct(r, tie):
            continue
        edge, m, buses = tie
        entry = edge[0] if edge[0] in buses else edge[1]
        cands = [start.replace_tie(i, (edge, m, part), "staged", opened=cuts)
                 for part, cuts in _stages(topo, search.outage.tripped, buses, entry)]
        found = _first_passing(search, cands)
        if found is None:
            continue
        return _second_tie(search, found, m, buses) or found
    return None


def _second_tie(search, staged, m, island):
    """The staged pick-up with a part it left off picked up by another tie, if one passes."""
    picked = {b for _e, _m, buses in staged.ties for b in buses}
    rest = search.topo.subgraph(set(island) - picked)
    used = {e for e, _m, _b in staged.ties}
    options = [e for e in _alternative_ties(search.r, m, None) if e not in used and (e[0] in rest or e[1] in rest)]
    for edge in options[:MAX_SECOND_TIES]:
        end = edge[0] if edge[0] in rest else edge[1]
        part = sorted(nx.node_connected_component(_island_graph(search.topo, search.outage.tripped, rest), end))
        cand = Candidate("staged", [*staged.ties, (edge, m, part)], list(staged.opened), list(staged.shed))
        if search.attempt(cand):
            return cand
    return None


def shed_order(topo, buses):
    """The loads at `buses` in the order they are shed: lowest class first (the highest
    priority number; none given counts as DEFAULT_LOAD_PRIORITY), then the smallest load
    first, so that the MW shed stays close to what the limits need."""
    loads = topo.graph.get("loads", {})
    keys = [x for b in buses for x in topo.nodes[b]["loads"]]
    return sorted(keys, key=lambda x: (-loads[x]["priority"], loads[x]["p_mw"], _key_order(x)))


def _try_shed(search, start):
    topo = search.topo
    picked = [b for _e, _m, buses in start.ties for b in buses]
    order = shed_order(topo, picked)
    cap = MAX_SHED_SHARE * _load_mw(topo, picked)
    cands, shed_mw = [], 0.0
    for k, key in enumerate(order, 1):
        shed_mw += topo.graph["loads"][key]["p_mw"]
        if shed_mw > cap + 1e-9:
            break
        cands.append(Candidate("shed", list(start.ties), list(start.opened), order[:k]))
    return _first_passing(search, cands)


TRIERS = {"other_tie": _try_other_ties, "staged": _try_staged, "shed": _try_shed}


def _search(search, base, strategies):
    """The first candidate that passes: the one-tie plan, then each strategy in turn. Staged
    pick-up and shedding start from the best whole-island tie choice tried so far."""
    if search.attempt(base):
        return base
    if not base.ties:
        return None
    for strategy in strategies:
        if not search.budget_left():
            search.capped = True
            break
        start = base if strategy == "other_tie" else search.best({"single_tie", "other_tie"})[0]
        found = TRIERS[strategy](search, start)
        if found is not None:
            return found
    return None


def describe_violation(v):
    """One violation as a dispatcher reads it (English; the page words it in the user's language)."""
    kind = v["kind"]
    if kind == "overload":
        return f"{v['element']} loaded {v['value']:g}% (limit {v['limit']:g}%)"
    if kind == "undervoltage":
        return f"{v['element']} at {v['value']:.3f} p.u. (below {v['limit']:g})"
    if kind == "overvoltage":
        return f"{v['element']} at {v['value']:.3f} p.u. (above {v['limit']:g})"
    if kind == "unsupplied":
        return f"{v['element']} left without supply"
    return f"the power flow does not converge ({v.get('error') or 'no solution'})"


def _violations_text(violations, limit=3):
    text = "; ".join(describe_violation(v) for v in violations[:limit])
    return text + (f"; and {len(violations) - limit} more" if len(violations) > limit else "")


STRATEGY_TEXT = {"single_tie": "the one-tie plan", "other_tie": "another tie", "staged": "staged pick-up",
                 "shed": "load shedding", "no_switching": "the post-trip state"}


def _attempt_record(topo, cand, fields, verdict):
    return {"strategy": cand.strategy, "close": [c["element"] for c in fields["close"]],
            "open": [o["element"] for o in fields["open"]], "shed": fields["shed"], "shed_mw": fields["shed_mw"],
            "left_dark": len(fields["left_dark"]), "left_dark_mw": _load_mw(topo, fields["left_dark"]),
            "ok": verdict["ok"], "n_violations": len(verdict["violations"]),
            "violations": verdict["violations"][:MAX_REPORTED]}


def _reason(search, base, strategies):
    """Why no plan passed: what was tried, and the violations of the best attempt."""
    cand, fields, verdict = search.best()
    violations = _violations_text(verdict["violations"])
    if not search.r.lost:
        return f"no bus lost supply, but the state after the trip is outside limits: {violations}"
    if not base.ties:
        return f"no tie reaches the lost buses, and the state after the trip is outside limits: {violations}"
    tried = ", ".join(STRATEGY_TEXT[s] for s in ["single_tie", *strategies])
    head = f"{len(search.tried)} power flow(s) run ({tried}), none passed"
    if search.capped:
        head += f": stopped at the cap of {search.max_attempts + 1}"
    what = [STRATEGY_TEXT[cand.strategy]]
    if fields["shed"]:
        what.append(f"{len(fields['shed'])} load(s), {fields['shed_mw']:g} MW shed")
    if fields["left_dark"]:
        what.append(f"{len(fields['left_dark'])} bus(es) left off")
    return f"{head}; the best attempt ({', '.join(what)}) still has: {violations}"


def _switching_steps(topo, r, cand, fields):
    steps = []
    for item, (e, beyond) in zip(fields["open"], cand.opened, strict=True):
        a, b = item["buses"]
        steps.append({"action": "open_switch", "element": item["element"], "switches": item["switches"],
                      "text": f"Before closing the tie, open {', '.join(item['switches'])} on "
                              f"{topo.edges[e]['name']} ({_label(topo, a)} - {_label(topo, b)}) to split the dead "
                              f"section: {len(beyond)} bus(es), {_load_mw(topo, beyond):g} MW beyond it."})
    if fields["shed"]:
        loads = topo.graph["loads"]
        listed = ", ".join(f"{x} ({loads[x]['p_mw']:g} MW)" for x in fields["shed"])
        steps.append({"action": "shed_load", "loads": fields["shed"], "mw": fields["shed_mw"],
                      "text": f"Before closing the tie, keep {len(fields['shed'])} load(s) off "
                              f"({fields['shed_mw']:g} MW, lowest priority and smallest first): "
                              f"{listed}; pick them up after the repair."})
    for item, (e, _m, buses) in zip(fields["close"], cand.ties, strict=True):
        d = topo.edges[e]
        a, b = item["buses"]
        what = (f"Close normally-open {', '.join(d['open_switches'])} on {d['name']}" if d["open_switches"]
                else f"Return {d['name']} to service")
        steps.append({"action": item["action"], "element": d["element"], "switches": d["open_switches"],
                      "text": f"{what} ({_label(topo, a)} - {_label(topo, b)}): picks up {len(buses)} "
                              f"bus(es), {_load_mw(topo, buses):g} MW."})
    for source, n in r.start_sources:
        steps.append({"action": "start_source", "element": source,
                      "text": f"Start standby source {source} and energise the island of "
                              f"{len(r.islands[n]['buses'])} bus(es) ({r.islands[n]['load_mw']:g} MW) from it."})
    return steps


def _verify_step(verdict):
    if verdict is None:
        return {"action": "verify", "text": "Run a power flow of the restored state; check voltages and line "
                                            "loadings before each switching step is confirmed."}
    restored = verdict["restored"]
    if verdict["ok"]:
        worst = restored.get("max_loading")
        loading = f"highest loading {worst['element']} at {worst['loading_percent']:g}%, " if worst else ""
        return {"action": "verify", "ok": True,
                "text": f"Power flow of the restored state: within limits ({loading}voltages "
                        f"{restored.get('vm_min_pu')}–{restored.get('vm_max_pu')} p.u.). Confirm each switching "
                        f"step against the measured loading."}
    return {"action": "verify", "ok": False,
            "text": f"Power flow of the restored state is outside limits: {_violations_text(verdict['violations'])}. "
                    f"Do not switch as planned."}


def plan(topo, tripped, *, max_switching=50, check=None, strategies=STRATEGIES, max_attempts=MAX_ATTEMPTS):
    """A restoration plan: which normally-open ties (or out-of-service branches) to close,
    in order, to bring the lost buses back, or which standby source to start; with the
    dispatcher's steps. Returns a dict: outage, close, open, shed, shed_mw,
    reference_sources, start_sources, restored_buses, unrestored_buses, left_dark,
    strategy, steps; with a check also powerflow (the chosen plan's verdict) and search.

    With `check` (plan fields -> verdict with "ok", as powerflow.plan_checker returns) the
    plan is verified. When the one-tie plan fails, the alternatives are tried in the order
    of `strategies`, and the first that passes is the plan:

    * "other_tie": another tie that joins the same dead island straight to a supplied one;
    * "staged": pick up the part of the island nearest its tie, cut off at a switch inside
      the island (the most load that passes, by bisection over the cuts), then a second tie
      for the rest when one passes; what no tie carries stays off until the repair;
    * "shed": close the tie with the lowest-priority loads kept off (shed_order), the
      fewest that pass, at most MAX_SHED_SHARE of the load picked up.

    Staged pick-up and shedding start from the best whole-island tie tried. At most
    max_attempts power flows after the one-tie plan's own. `search` says which strategy
    passed, every attempt with its violations, and, when none passed, the reason (the best
    attempt's violations); the steps are then the one-tie plan's, marked as failing."""
    unknown = [s for s in strategies if s not in TRIERS]
    if unknown:
        raise ValueError(f"unknown restoration strategies {unknown}; known: {', '.join(TRIERS)}")
    outage = analyse(topo, tripped)
    tripped = outage.tripped
    steps = _isolate_steps(topo, tripped)
    reference, reference_steps = _reference_steps(topo, outage.islands, tripped)
    r = _base_restoration(topo, outage)
    if len(r.to_close) > max_switching:
        raise GridError(f"the plan needs {len(r.to_close)} switching operations, over the {max_switching} limit")
    base = Candidate("single_tie" if r.to_close else "no_switching",
                     [(e, m, r.islands[m]["buses"]) for e, m in r.to_close])
    chosen, search = base, None
    if check is not None:
        search = _Search(topo, outage, r, reference, check, max_attempts)
        chosen = _search(search, base, strategies if r.lost else ()) or base
    fields = _as_plan(topo, outage, r, chosen, reference)
    verdict = next((v for c, _f, v in search.tried if c is chosen), None) if search else None
    steps += _outcome_steps(topo, outage, r, chosen, fields, reference_steps)
    result = {"outage": outage.as_dict(), **fields, "strategy": chosen.strategy}
    if search is not None:
        result["powerflow"] = verdict
        result["search"] = _search_report(search, base, chosen, verdict, strategies)
        if not result["search"]["found"]:
            reason = result["search"]["reason"]
            text = (f"No restoration passes the power-flow check: {reason}." if r.lost else
                    f"{reason[0].upper()}{reason[1:]}: relieve it by redispatch or a load transfer.")
            steps.append({"action": "no_plan", "text": text})
    steps.append(_verify_step(verdict))
    result["steps"] = steps
    return result


def _outcome_steps(topo, outage, r, cand, fields, reference_steps):
    """The steps after the isolation: the switching of `cand`, or, when no bus lost supply,
    the paths that keep the ends of the tripped elements connected; then what stays off."""
    if not r.lost:
        steps = list(reference_steps)
        for element, path in outage.alternative_paths.items():
            if path:
                via = " - ".join(_label(topo, b) for b in path)
                steps.append({"action": "none", "element": element, "path": path,
                              "text": f"No bus lost supply: the ends of {element} stay connected via {via}. "
                                      f"Check the loading of that path."})
        return steps
    tripped = ", ".join(outage.tripped)
    steps = _switching_steps(topo, r, cand, fields) + reference_steps
    if fields["left_dark"]:
        steps.append({"action": "left_dark", "buses": fields["left_dark"],
                      "text": f"{len(fields['left_dark'])} bus(es) ({_load_mw(topo, fields['left_dark']):g} MW) "
                              f"beyond the open point(s) stay off: the tie cannot carry them within limits. Pick "
                              f"them up after the repair of {tripped}."})
    if r.unrestorable:
        steps.append({"action": "unrestorable", "buses": sorted(r.unrestorable),
                      "text": f"No tie or standby source reaches {len(r.unrestorable)} bus(es) "
                              f"({_load_mw(topo, r.unrestorable):g} MW): they stay off supply until "
                              f"{tripped} is repaired and re-energised."})
    return steps


def _search_report(search, base, chosen, verdict, strategies):
    """What the plan's `search` says: whether a plan passed and which strategy, every attempt
    with its violations, and when none passed the reason and which attempt came closest."""
    found = bool(verdict and verdict["ok"])
    tried_strategies = strategies if search.r.lost and base.ties else ()
    best = None
    if not found:
        closest = search.best()
        best = next(i for i, t in enumerate(search.tried) if t is closest)
    return {"found": found, "strategy": chosen.strategy if found else None,
            "reason": None if found else _reason(search, base, tried_strategies), "best": best,
            "strategies": ["single_tie", *strategies], "max_attempts": search.max_attempts,
            "capped": search.capped, "attempts": [_attempt_record(search.topo, *t) for t in search.tried]}


def restored_islands(topo, tripped, closed_elements):
    """Islands once the tripped elements are out and `closed_elements` are closed
    (what a power flow of the restored state should find)."""
    t = topo.copy()
    for a, b, k, d in t.edges(keys=True, data=True):
        if d["element"] in closed_elements:
            d["closed"] = True
    return _islands(t, tripped)
