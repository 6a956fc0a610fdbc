"""Outage islands and lost buses, checked against pandapower's own topology of the same
grid, and restoration plans checked with a power flow."""
import copy

import networkx as nx
import pytest

from verticals.energy.lib import powerflow, restoration
from verticals.energy.lib.grid_import import quiet_pandapower


def _expected(net, element):
    """Islands and unsupplied buses by pandapower.topology on the pandapower net itself."""
    import pandapower.topology as top

    net = copy.deepcopy(net)
    table, idx = element.split(":")
    net[table].at[int(idx), "in_service"] = False
    with quiet_pandapower():
        mg = top.create_nxgraph(net, respect_switches=True)
    islands = {frozenset(f"bus:{b}" for b in comp) for comp in nx.connected_components(mg)}
    # A generator scheduled at 0 MW is a condenser: it cannot supply an island.
    gens = net.gen[net.gen.in_service & ((net.gen.p_mw > 0) | net.gen.slack)]
    slacks = set(net.ext_grid.bus[net.ext_grid.in_service]) | set(gens.bus)
    dark = {f"bus:{b}" for b in top.unsupplied_buses(net, mg=mg, slacks=slacks)}
    return islands, dark


def _branches(net):
    return [f"line:{i}" for i in net.line.index] + [f"trafo:{i}" for i in net.trafo.index]


@pytest.mark.parametrize("case", ["case14", "case118"])
def test_islands_and_lost_buses_match_pandapower_topology(nets, topo, case):
    net, t = nets(case), topo(case)
    islanding = 0
    for element in _branches(net):
        outage = restoration.analyse(t, element)
        islands, dark = _expected(net, element)
        assert {frozenset(i["buses"]) for i in outage.islands} == islands, element
        assert set(outage.lost_buses) == dark, element
        islanding += len(outage.islands) > 1
    assert islanding > 0  # the check saw at least one trip that splits the grid


def test_case14_meshed_trip_keeps_supply_via_an_alternative_path(topo, nets):
    plan = restoration.plan(topo("case14"), "line:0")
    assert plan["outage"]["lost_buses"] == [] and plan["close"] == []
    none_step = next(s for s in plan["steps"] if s["action"] == "none")
    assert none_step["path"][0] == "bus:0" and none_step["path"][-1] == "bus:1"
    check = powerflow.verify_plan(nets("case14"), ["line:0"], plan)
    assert check["restored"]["converged"] and check["ok"], check


def test_case14_transformer_trip_islands_a_condenser_bus(topo, nets):
    """IEEE bus 8 (index 7) hangs on trafo:3 and holds only gen:3, a synchronous condenser
    (0 MW scheduled): cut off, it has no supply, as the power flow finds too."""
    plan = restoration.plan(topo("case14"), "trafo:3")
    assert [i["buses"] for i in plan["outage"]["islands"]][1:] == [["bus:7"]]
    assert plan["outage"]["islands"][1]["supplied"] is False
    assert plan["outage"]["lost_buses"] == ["bus:7"] and plan["unrestored_buses"] == ["bus:7"]
    assert plan["reference_sources"] == []
    assert [s["action"] for s in plan["steps"]] == ["isolate", "unrestorable", "verify"]
    check = powerflow.verify_plan(nets("case14"), ["trafo:3"], plan)
    assert check["after_trip"]["unsupplied_buses"] == ["bus:7"] == check["restored"]["unsupplied_buses"]
    assert check["ok"], check["violations"]


def test_an_island_with_a_generator_that_delivers_power_takes_a_reference(nets):
    """The same trip with gen:3 scheduled at 20 MW: the island keeps supply once gen:3 takes
    the reference, and the power flow with it as the slack energises the bus."""
    from core.kg.lib.graph import from_rows
    from core.kg.lib.triples import parse_json
    from verticals.energy.lib.grid_import import net_to_triples

    net = copy.deepcopy(nets("case14"))
    net.gen.at[3, "p_mw"] = 20.0
    ents, rels, _errs = parse_json(net_to_triples(net, case="case14"))
    plan = restoration.plan(restoration.topology(from_rows(ents, rels)), "trafo:3")
    assert plan["outage"]["lost_buses"] == [] and plan["reference_sources"] == ["gen:3"]
    assert [s["action"] for s in plan["steps"]] == ["isolate", "island_reference", "verify"]
    check = powerflow.verify_plan(net, ["trafo:3"], plan)
    assert check["after_trip"]["unsupplied_buses"] == ["bus:7"]  # pandapower: no reference machine there
    assert check["restored"]["unsupplied_buses"] == [] and check["ok"], check["violations"]


def test_case118_radial_trip_is_unrestorable_without_a_tie(topo, nets):
    t = topo("case118")
    lossy = [e for e in _branches(nets("case118")) if restoration.analyse(t, e).lost_buses]
    assert lossy, "case118 has radial branches"
    plan = restoration.plan(t, lossy[0])
    assert plan["unrestored_buses"] == plan["outage"]["lost_buses"]
    assert plan["steps"][-2]["action"] == "unrestorable"
    check = powerflow.verify_plan(nets("case118"), [lossy[0]], plan)
    assert set(check["restored"]["unsupplied_buses"]) == set(plan["unrestored_buses"]) and check["ok"], check


def test_mv_oberrhein_trip_is_restored_by_closing_a_normally_open_tie(topo, nets):
    t, net = topo("mv_oberrhein"), nets("mv_oberrhein")
    plan = restoration.plan(t, "line:2")
    assert plan["outage"]["lost_buses"] and plan["unrestored_buses"] == []
    assert [c["switches"] for c in plan["close"]] == [["switch:144"]]
    assert set(plan["restored_buses"]) == set(plan["outage"]["lost_buses"])
    islands = restoration.restored_islands(t, ["line:2"], {c["element"] for c in plan["close"]})
    assert all(i["supplied"] for i in islands)
    actions = [s["action"] for s in plan["steps"]]
    assert actions == ["isolate", "close_switch", "verify"]
    check = powerflow.verify_plan(net, ["line:2"], plan)
    assert len(check["after_trip"]["unsupplied_buses"]) == len(plan["outage"]["lost_buses"])
    assert check["restored"]["converged"] and check["restored"]["unsupplied_buses"] == []
    assert check["restored"]["voltage_ok"] and check["ok"]


def test_unknown_element_is_refused(topo):
    with pytest.raises(restoration.GridError, match="not a line, transformer or bus switch"):
        restoration.analyse(topo("case14"), "line:999")
    with pytest.raises(restoration.GridError):
        restoration.analyse(topo("case14"), [])
