import pytest

from core.platform.verticals import registry

# A small ontology of its own, so the core's tests need no vertical.
PLANT = {
    "classes": {
        "Thing": {"attributes": {"note": "str"}},
        "Site": {"parent": "Thing", "attributes": {"code": "str"}},
        "Machine": {"parent": "Thing", "attributes": {"power_kw": "float", "units": "int", "active": "bool"}},
        "Pump": {"parent": "Machine", "attributes": {"flow_m3h": "float"}},
        "Sensor": {"parent": "Thing", "attributes": {"installed": "datetime", "meta": "json"}},
    },
    "relations": {
        "located_in": {"domain": ["Machine", "Sensor"], "range": "Site"},
        "monitors": {"domain": "Sensor", "range": "Machine", "attributes": {"channel": "int"}},
        "feeds": {"domain": "Machine", "range": "Machine", "attributes": {"via": "str"}},
        "related": {},
    },
}


@pytest.fixture
def plant_ontology():
    registry["ontologies"]["kgtest"] = PLANT
    yield "kgtest"
    registry["ontologies"].pop("kgtest", None)


@pytest.fixture
def graph(plant_ontology, orgs, users):
    from core.kg.actions.graphs import create_graph

    return create_graph(name="plant", organisation=orgs["a"], vertical="kgtest", acting_user=users["a_dev"])


@pytest.fixture
def chain_graph(graph, users):
    """site <- m0 -> m1 -> m2 -> m3 -> m4 (feeds), s0 monitors m0."""
    from core.kg.actions.imports import import_triples
    from core.kg.lib.triples import parse_json

    doc = {"entities": [{"key": "site", "cls": "Site", "name": "North site"},
                        {"key": "s0", "cls": "Sensor", "name": "Vibration sensor"}]
           + [{"key": f"m{i}", "cls": "Pump" if i % 2 else "Machine", "name": f"Machine {i}",
               "attributes": {"power_kw": 10.0 * i}} for i in range(5)],
           "relations": [{"src": "m0", "type": "located_in", "dst": "site"},
                         {"src": "s0", "type": "monitors", "dst": "m0", "attributes": {"channel": 1}}]
           + [{"src": f"m{i}", "type": "feeds", "dst": f"m{i + 1}"} for i in range(4)]}
    ents, rels, errs = parse_json(doc)
    import_triples(graph, entities=ents, relations=rels, acting_user=users["a_dev"], source="fixture",
                   parse_errors=errs)
    graph.refresh_from_db()
    return graph
