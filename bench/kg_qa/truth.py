"""Expected answers, computed from pandapower's tables and its networkx bus graph
(pandapower.topology.create_nxgraph, switches respected), never from the QA code.

Buses are named as people and one-line diagrams name them: by the number in
net.bus.name ("Bus 5" / 5 in the IEEE cases, where it is index + 1; "Bus 9" in
mv_oberrhein, whose bus 9 has pandapower index 29), and answered with the knowledge
graph's keys ("bus:<pandapower index>", "line:<index>", ...: grid_import's keys).

Definitions (what a dispatcher means, pinned down):
- the bus graph: in-service buses joined by in-service lines, 2- and 3-winding
  transformers and closed bus-bus switches; a line whose switch is open is no edge;
- "generators" are the in-service rows of net.gen. External grids (the slack feed of the
  converted IEEE cases, the 110 kV feeds of mv_oberrhein) and static generators (sgen:
  PV, wind) are not generators: the knowledge graph has them as ExternalGrid and
  StaticGenerator;
- a bus's lines are the rows of net.line ending at it (whatever their switches: the
  graph's `connects` relations), its loads the rows of net.load at it;
- an island is supplied when it holds an in-service external grid, or an in-service
  generator whose max_p_mw (p_mw where max_p_mw is missing) is > 0: a 0 MW synchronous
  condenser does not supply an island and static generators cannot form one;
- "cut off from the slack bus": not in the component of an in-service external grid's
  bus (of the slack generator's bus where the grid has no external grid);
- a trip removes the branch's edges from the bus graph; the buses that lose supply (are
  cut from the slack) are those supplied (connected) before and not after.
"""
import itertools
import math
import re

import networkx as nx

_NUMBER = re.compile(r"(\d+)\s*$")


def _cell(value):
    """A pandas cell as a float, None when missing."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


class GridTruth:
    """The answers of one pandapower network."""

    def __init__(self, case, net):
        import pandapower.topology as top

        self.case, self.net = case, net
        self.number, self.index = {}, {}
        for idx, name in net.bus["name"].items():
            n = self._bus_number(idx, name)
            if n in self.index:
                raise ValueError(f"{case}: bus number {n} names two buses ({self.index[n]} and {idx})")
            self.number[int(idx)], self.index[n] = n, int(idx)
        raw = top.create_nxgraph(net, respect_switches=True)
        g = nx.MultiGraph()
        g.add_nodes_from(int(n) for n in raw.nodes)
        for u, v, key in raw.edges(keys=True):
            g.add_edge(int(u), int(v), key=(str(key[0]), int(key[1])))
        self.graph = g
        self.simple = nx.Graph(g)
        self.simple.remove_edges_from(list(nx.selfloop_edges(self.simple)))

        gen = net.gen[net.gen["in_service"].astype(bool)] if len(net.gen) else net.gen
        self.gen_rows = {int(i): int(b) for i, b in gen["bus"].items()}
        ext = net.ext_grid[net.ext_grid["in_service"].astype(bool)] if len(net.ext_grid) else net.ext_grid
        self.ext_buses = {int(b) for b in ext["bus"]}
        self.sgen_buses = {int(b) for b in net.sgen["bus"]} if "sgen" in net and len(net.sgen) else set()
        self.sources = set(self.ext_buses)   # buses holding a source able to supply an island
        self.dispatched = set(self.ext_buses)  # the same by p_mw > 0 only (the condenser reading)
        for i, row in gen.iterrows():
            cap = _cell(row.get("max_p_mw"))
            if cap is None:
                cap = _cell(row.get("p_mw"))
            if cap is not None and cap > 0:
                self.sources.add(int(row["bus"]))
            if (_cell(row.get("p_mw")) or 0.0) > 0:
                self.dispatched.add(int(row["bus"]))
        self.slack = set(self.ext_buses)
        if not self.slack and "slack" in gen:
            self.slack = {int(row["bus"]) for _, row in gen.iterrows() if bool(row["slack"])}

        self.line_ends = {int(i): (int(r["from_bus"]), int(r["to_bus"])) for i, r in net.line.iterrows()}
        self.trafo_ends = {}
        if "trafo" in net and len(net.trafo):
            self.trafo_ends = {int(i): (int(r["hv_bus"]), int(r["lv_bus"])) for i, r in net.trafo.iterrows()}
        self.trafo3w_ends = {}
        if "trafo3w" in net and len(net.trafo3w):
            self.trafo3w_ends = {int(i): (int(r["hv_bus"]), int(r["mv_bus"]), int(r["lv_bus"]))
                                 for i, r in net.trafo3w.iterrows()}
        self.pair_branches = {}   # frozenset of two buses -> [("line", i) | ("trafo", i)]
        for table, ends in (("line", self.line_ends), ("trafo", self.trafo_ends)):
            for i, (a, b) in ends.items():
                self.pair_branches.setdefault(frozenset((a, b)), []).append((table, i))
        self.loads_at = {}
        for i, b in net.load["bus"].items():
            self.loads_at.setdefault(int(b), set()).add(int(i))
        self.lines_at = {}
        for i, (a, b) in self.line_ends.items():
            self.lines_at.setdefault(a, set()).add(i)
            self.lines_at.setdefault(b, set()).add(i)
        self._base = self._state(self.graph)

    @staticmethod
    def _bus_number(idx, name):
        """The number people call a bus by: net.bus.name when it is a number or ends in one."""
        if name is not None and not (isinstance(name, float) and math.isnan(name)):
            text = str(name).strip()
            if text.replace(".", "", 1).isdigit():
                return int(float(text))
            m = _NUMBER.search(text)
            if m:
                return int(m.group(1))
        return int(idx)

    # names and keys --------------------------------------------------------------
    @staticmethod
    def bus_key(idx):
        return f"bus:{idx}"

    def bus_of_key(self, key):
        """The pandapower index of a "bus:<index>" key, None for anything else."""
        if not isinstance(key, str) or not key.startswith("bus:"):
            return None
        try:
            idx = int(key[4:])
        except ValueError:
            return None
        return idx if idx in self.number else None

    def buses(self):
        return sorted(self.number)

    # single-hop facts ------------------------------------------------------------
    def vn_kv(self, bus):
        return float(self.net.bus.at[bus, "vn_kv"])

    def length_km(self, line):
        return _cell(self.net.line.at[line, "length_km"])

    def sn_mva(self, trafo):
        return _cell(self.net.trafo.at[trafo, "sn_mva"])

    def line_buses(self, line):
        return set(self.line_ends[line])

    def neighbours(self, bus):
        return set(self.simple.neighbors(bus)) if bus in self.simple else set()

    def adjacent(self, a, b):
        return self.simple.has_edge(a, b)

    def unique_branch(self, a, b):
        """("line"|"trafo", index) when exactly one branch of the tables joins buses a and b."""
        found = self.pair_branches.get(frozenset((a, b)), [])
        return found[0] if len(found) == 1 and a != b else None

    def in_graph(self, branch):
        return any(k == branch for _, _, k in self.graph.edges(keys=True))

    # listings and counts ---------------------------------------------------------
    def gen_buses(self):
        return set(self.gen_rows.values())

    def gens_at(self, bus):
        return {i for i, b in self.gen_rows.items() if b == bus}

    def buses_at_kv(self, kv):
        return {int(i) for i, v in self.net.bus["vn_kv"].items() if math.isclose(float(v), kv, rel_tol=1e-9)}

    def voltage_levels(self):
        return sorted({float(v) for v in self.net.bus["vn_kv"]})

    def lines_longer(self, km):
        return {i for i in self.line_ends if (self.length_km(i) or 0.0) > km}

    def lengths_vary(self):
        lengths = [self.length_km(i) for i in self.line_ends]
        lengths = [x for x in lengths if x is not None]
        return bool(lengths) and max(lengths) - min(lengths) > 1e-9

    def counts(self):
        return {"buses": len(self.net.bus), "lines": len(self.net.line), "generators": len(self.gen_rows),
                "transformers": len(self.trafo_ends) + len(self.trafo3w_ends)}

    # paths -----------------------------------------------------------------------
    def hops(self, a, b):
        try:
            return nx.shortest_path_length(self.simple, a, b)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    def path_ok(self, keys, a, b):
        """Whether `keys` (bus keys) is a shortest path from bus a to bus b."""
        if not isinstance(keys, (list, tuple)) or not keys:
            return False
        idx = [self.bus_of_key(k) for k in keys]
        if any(i is None for i in idx) or idx[0] != a or idx[-1] != b:
            return False
        if len(idx) - 1 != self.hops(a, b):
            return False
        return all(self.simple.has_edge(u, v) for u, v in itertools.pairwise(idx))

    # trips -----------------------------------------------------------------------
    def _state(self, g):
        """(supplied buses, supplied by p_mw > 0 sources only, buses connected to the slack)."""
        supplied, dispatched, slack = set(), set(), set()
        for comp in nx.connected_components(g):
            if comp & self.sources:
                supplied |= comp
            if comp & self.dispatched:
                dispatched |= comp
            if comp & self.slack:
                slack |= comp
        return supplied, dispatched, slack

    def trip(self, branch):
        """{"lose_supply", "cut_from_slack", "ambiguous"} after `branch` (("line", i) or
        ("trafo", i)) trips; ambiguous: the lost-supply set would differ were a generator
        dispatched at 0 MW (max_p_mw > 0) not counted as a source."""
        g = self.graph.copy()
        g.remove_edges_from([(u, v, k) for u, v, k in self.graph.edges(keys=True) if k == branch])
        supplied, dispatched, slack = self._state(g)
        lost = self._base[0] - supplied
        return {"lose_supply": lost, "cut_from_slack": self._base[2] - slack,
                "ambiguous": lost != self._base[1] - dispatched}


class KBTruth:
    """The answers of the dispatch fault knowledge base document (its relations)."""

    def __init__(self, kb):
        self.names = {}
        self.cls = {}
        for e in kb["entities"]:
            en, sep, zh = e["name"].rpartition(" / ")
            self.names[e["key"]] = (en, zh) if sep else (e["name"], e["name"])
            self.cls[e["key"]] = e["cls"]
        self.indicated_by, self.indicates, self.handled_by = {}, {}, {}
        for r in kb["relations"]:
            if r["type"] == "indicates":
                self.indicated_by.setdefault(r["dst"], set()).add(r["src"])
                self.indicates.setdefault(r["src"], set()).add(r["dst"])
            elif r["type"] == "handled_by":
                self.handled_by.setdefault(r["src"], set()).add(r["dst"])

    def faults(self):
        return sorted(k for k, c in self.cls.items() if c == "Fault")

    def alarms(self):
        return sorted(k for k, c in self.cls.items() if c == "Alarm")
