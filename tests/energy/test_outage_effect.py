"""outage_effect (what a what-if question asks) walks only the islands a trip touches and says
the same as the whole-grid analysis: the lost buses of analyse(), and the buses cut from the
reference that networkx finds on the closed bus graph."""
import warnings

import networkx as nx
import pytest

from core.kg.lib.graph import from_rows
from core.kg.lib.triples import parse_json
from verticals.energy.lib.grid_import import net_to_triples
from verticals.energy.lib.restoration import (
    GridError,
    analyse,
    outage_effect,
    topology,
    trippable,
)


def grid(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandapower.networks as pn

        net = getattr(pn, case)()
    ents, rels, errs = parse_json(net_to_triples(net, case=case))
    assert errs == []
    return topology(from_rows(ents, rels))


@pytest.mark.parametrize("case", ["case14", "case118", "mv_oberrhein"])
def test_outage_effect_agrees_with_the_whole_grid_analysis(case):
    topo = grid(case)
    info = topo.graph["sources"]
    reference = {b for b in topo.nodes for s in topo.nodes[b]["sources"]
                 if info[s]["cls"] == "ExternalGrid" or info[s].get("slack")}
    elements = sorted(trippable(topo))[::max(1, len(trippable(topo)) // 25)]
    disconnecting = 0
    for element in elements:
        lost, cut = outage_effect(topo, element)
        assert lost == analyse(topo, element).lost_buses, element
        closed = nx.Graph((a, b) for a, b, d in topo.edges(data=True) if d["closed"])
        closed.add_nodes_from(topo.nodes)
        before = set().union(*(nx.node_connected_component(closed, r) for r in reference))
        closed_after = nx.Graph((a, b) for a, b, d in topo.edges(data=True) if d["closed"] and d["element"] != element)
        closed_after.add_nodes_from(topo.nodes)
        after = set().union(*(nx.node_connected_component(closed_after, r) for r in reference))
        assert cut == sorted(before - after), element
        disconnecting += bool(cut)
    assert disconnecting > 0  # the sample holds trips that cut something off, not only meshed lines


def test_outage_effect_refuses_what_is_not_a_branch():
    with pytest.raises(GridError, match="not a line, transformer or bus switch"):
        outage_effect(grid("case14"), "bus:3")
