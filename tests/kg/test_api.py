"""/api/v1/kg/: visibility by organisation, search, path queries with limits (400 past
them), export as JSON and GraphML, multipart import."""
import io
import json

import networkx as nx
import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kg/graphs/"


def test_graphs_list_create_and_visibility(api, plant_ontology, users, chain_graph):
    r = api(users["a_viewer"]).get(BASE)
    assert r.status_code == 200 and [g["name"] for g in r.json()["results"]] == ["plant"]
    assert api(users["hq_auditor"]).get(f"{BASE}{chain_graph.pk}/").json()["version"] == 1
    assert api(users["b_dev"]).get(BASE).json()["results"] == []
    assert api(users["b_dev"]).get(f"{BASE}{chain_graph.pk}/").status_code == 404
    r = api(users["b_dev"]).post(BASE, {"name": "b-graph", "organisation": "plant-b", "vertical": "kgtest"},
                                 format="json")
    assert r.status_code == 201, r.content
    r = api(users["b_dev"]).post(BASE, {"name": "x", "organisation": "plant-b", "vertical": "nope"}, format="json")
    assert r.status_code == 400 and "no ontology is registered" in r.json()["message"]
    r = api(users["a_viewer"]).post(BASE, {"name": "x", "organisation": "plant-a", "vertical": "kgtest"}, format="json")
    assert r.status_code == 403
    onto = api(users["a_viewer"]).get(f"{BASE}{chain_graph.pk}/ontology/").json()
    assert onto["classes"]["Pump"]["all_attributes"]["power_kw"] == "float"


def test_entity_search_and_add(api, users, chain_graph):
    c = api(users["a_viewer"])
    keys = [e["key"] for e in c.get(f"{BASE}{chain_graph.pk}/entities/?q=machine").json()["results"]]
    assert keys == ["m0", "m1", "m2", "m3", "m4"]
    keys = [e["key"] for e in c.get(f"{BASE}{chain_graph.pk}/entities/?cls=Machine&q=m").json()["results"]]
    assert keys == ["m0", "m1", "m2", "m3", "m4"]  # Pumps are Machines
    assert [e["key"] for e in c.get(f"{BASE}{chain_graph.pk}/entities/?cls=Pump").json()["results"]] == ["m1", "m3"]
    assert c.get(f"{BASE}{chain_graph.pk}/entities/?cls=Robot").status_code == 400
    assert c.post(f"{BASE}{chain_graph.pk}/entities/", {"key": "z", "cls": "Site"}, format="json").status_code == 403
    dev = api(users["a_dev"])
    r = dev.post(f"{BASE}{chain_graph.pk}/entities/", {"key": "z", "cls": "Site", "attributes": {"code": 5}},
                 format="json")
    assert r.status_code == 400 and "attribute 'code' of class 'Site': expected text" in r.json()["message"]
    r = dev.post(f"{BASE}{chain_graph.pk}/relations/", {"type": "monitors", "src": "m0", "dst": "s0"}, format="json")
    assert r.status_code == 400 and "domain mismatch" in r.json()["message"]
    r = dev.post(f"{BASE}{chain_graph.pk}/relations/", {"type": "feeds", "src": "m4", "dst": "m0"}, format="json")
    assert r.status_code == 201 and r.json()["src"] == "m4"


def test_neighbourhood_and_paths_with_limits(api, users, chain_graph):
    c = api(users["a_viewer"])
    m2 = chain_graph.entities.get(key="m2").pk
    r = c.get(f"{BASE}{chain_graph.pk}/entities/{m2}/neighbourhood/?hops=2")
    assert r.status_code == 200
    assert {n["key"]: n["distance"] for n in r.json()["nodes"]} == {"m2": 0, "m1": 1, "m3": 1, "m0": 2, "m4": 2}
    assert len(r.json()["edges"]) == 4
    for query, field in [("hops=7", "hops"), ("hops=x", "hops"), ("max_nodes=100000", "max_nodes")]:
        r = c.get(f"{BASE}{chain_graph.pk}/entities/{m2}/neighbourhood/?{query}")
        assert r.status_code == 400 and field in r.json()["errors"], query
    r = c.get(f"{BASE}{chain_graph.pk}/shortest-path/?src=s0&dst=m4")
    assert r.json()["found"] and [n["key"] for n in r.json()["nodes"]] == ["s0", "m0", "m1", "m2", "m3", "m4"]
    assert c.get(f"{BASE}{chain_graph.pk}/shortest-path/?src=s0&dst=ghost").status_code == 400
    r = c.get(f"{BASE}{chain_graph.pk}/paths/?src=site&dst=m2&cutoff=3")
    assert r.status_code == 200 and r.json()["count"] == 1 and r.json()["truncated"] is False
    for query, field in [("cutoff=7", "cutoff"), ("", "cutoff"), ("cutoff=3&max_paths=101", "max_paths"),
                         ("cutoff=3&time_budget=99", "time_budget")]:
        r = c.get(f"{BASE}{chain_graph.pk}/paths/?src=site&dst=m2&{query}")
        assert r.status_code == 400 and field in r.json()["errors"], query
        assert "limit" in r.json()["message"] or "outside" in r.json()["message"] or "required" in r.json()["message"]


def test_export_json_and_graphml(api, users, chain_graph):
    c = api(users["a_viewer"])
    doc = c.get(f"{BASE}{chain_graph.pk}/export/?format=json").json()
    assert len(doc["nodes"]) == 7 and len(doc["edges"]) == 6 and doc["version"] == 1
    r = c.get(f"{BASE}{chain_graph.pk}/export/?format=graphml&around=m2&hops=1")
    assert r.status_code == 200 and r["Content-Type"] == "application/graphml+xml"
    g = nx.read_graphml(io.BytesIO(r.content))
    assert set(g.nodes) == {"m1", "m2", "m3"} and g.nodes["m2"]["a_power_kw"] == "20.0"
    assert c.get(f"{BASE}{chain_graph.pk}/export/?format=xml").status_code == 400
    assert c.get(f"{BASE}{chain_graph.pk}/export/?around=ghost").status_code == 400


def test_multipart_import(api, users, graph):
    def upload(name, content):
        f = io.BytesIO(content)
        f.name = name
        return f

    doc = {"entities": [{"key": "site", "cls": "Site"}, {"key": "m1", "cls": "Machine"}],
           "relations": [{"src": "m1", "type": "located_in", "dst": "site"}]}
    url = f"{BASE}{graph.pk}/import/"
    r = api(users["a_viewer"]).post(url, {"file": upload("g.json", json.dumps(doc).encode())}, format="multipart")
    assert r.status_code == 403
    r = api(users["a_dev"]).post(url, {"file": upload("g.json", json.dumps(doc).encode())}, format="multipart")
    assert r.status_code == 201 and r.json() == {"graph": graph.pk, "entities": 2, "relations": 1, "version": 1}
    r = api(users["a_dev"]).post(url, {"entities": upload("e.csv", b"key,cls\nm2,Machine\nm3,Robot\n"),
                                       "relations": upload("r.csv", b"src,type,dst\nm2,feeds,m1\n")},
                                 format="multipart")
    assert r.status_code == 400
    body = r.json()
    assert body["errors"] == {"entities line 3": ["unknown class 'Robot' in ontology 'kgtest'"]}
    assert "nothing was written" in body["message"]
    r = api(users["a_dev"]).post(url, {"file": upload("g.json", b"{not json")}, format="multipart")
    assert r.status_code == 400 and "not valid JSON" in r.json()["errors"]["file"][0]
    assert graph.entities.count() == 2
