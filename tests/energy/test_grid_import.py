"""pandapower's shipped networks become knowledge-graph triples that fit the energy ontology.
(How long an import takes: bench/energy_grid_import.py.)"""
import pytest

from core.kg.lib.triples import check_batch, parse_json
from core.kg.models import Entity, Relation
from core.kg.ontologies import get_ontology
from core.kg.projection import projection
from core.platform.models import AuditEvent
from verticals.energy.lib.grid_import import net_to_triples


def _counts(doc):
    out = {}
    for e in doc["entities"]:
        out[e["cls"]] = out.get(e["cls"], 0) + 1
    return out


@pytest.mark.parametrize("case", ["case14", "case118", "case300", "mv_oberrhein"])
def test_every_shipped_case_fits_the_ontology(nets, case):
    net = nets(case)
    doc = net_to_triples(net, case=case)
    ents, rels, errors = parse_json(doc)
    assert check_batch(get_ontology("energy"), ents, rels, existing_entities={}, errors=errors) == []
    counts = _counts(doc)
    assert counts["Bus"] == len(net.bus) and counts.get("Line", 0) == len(net.line)
    assert counts.get("Transformer", 0) == len(net.trafo) + len(net.trafo3w)
    assert counts.get("Load", 0) == len(net.load)
    assert counts.get("Generator", 0) == len(net.gen) and counts.get("ExternalGrid", 0) == len(net.ext_grid)
    assert counts.get("Switch", 0) == len(net.switch)
    connects = [r for r in doc["relations"] if r["type"] == "connects" and r["src"].startswith("line:")]
    assert len(connects) == 2 * len(net.line)


def test_mv_oberrhein_keeps_its_normally_open_ties(nets):
    doc = net_to_triples(nets("mv_oberrhein"))
    open_switches = sorted(e["key"] for e in doc["entities"]
                           if e["cls"] == "Switch" and e["attributes"]["normally_open"])
    assert open_switches == ["switch:107", "switch:14", "switch:144", "switch:311", "switch:34", "switch:48"]
    assert {"src": "switch:144", "type": "switches", "dst": "line:88", "attributes": {}} in doc["relations"]


@pytest.mark.django_db
def test_import_case118_as_one_audited_batch(orgs, users):
    from verticals.energy.actions.grids import import_grid

    before = AuditEvent.objects.count()
    grid, figures = import_grid(case="case118", organisation=orgs["a"], acting_user=users["a_dev"])
    graph = grid.graph
    assert grid.buses == 118 and grid.branches == 173 + 13 and graph.vertical == "energy"
    assert Entity.objects.filter(graph=graph, cls="Bus").count() == 118
    assert figures["entities"] == Entity.objects.filter(graph=graph).count()
    assert figures["relations"] == Relation.objects.filter(graph=graph).count()
    assert Entity.objects.get(graph=graph, key="line:0").source == "pandapower.networks.case118"
    actions = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("action", flat=True))
    assert actions == ["kg.graph.create", "kg.import"]
    g = projection(graph)
    assert g.number_of_nodes() == figures["entities"] and g.number_of_edges() == figures["relations"]
