"""The knowledge-graph viewer pages (core/kg/urls.py, namespace "kg"): the graph list, an
entity's neighbourhood with its chart data and triples, recentring and hops through HTMX,
entity search, and isolation between sibling branches."""
import json
import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


def chart_data(response):
    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text(response), re.S)
    assert match, "no chart data in the page"
    return json.loads(match.group(1))


@pytest.fixture
def other_graph(plant_ontology, orgs, users):
    """Plant B's graph: invisible to Plant A."""
    from core.kg.actions.facts import add_entity
    from core.kg.actions.graphs import create_graph

    g = create_graph(name="plant-b-graph", organisation=orgs["b"], vertical=plant_ontology, acting_user=users["b_dev"])
    add_entity(g, key="secret-site", cls="Site", name="Plant B site", acting_user=users["b_dev"])
    return g


def test_urls():
    assert reverse("kg:graphs") == "/kg/"
    assert reverse("kg:graph", args=[7]) == "/kg/graphs/7/"
    assert reverse("kg:search", args=[7]) == "/kg/graphs/7/search/"


def test_pages_need_login(client, chain_graph):
    for url in (reverse("kg:graphs"), reverse("kg:graph", args=[chain_graph.pk]),
                reverse("kg:search", args=[chain_graph.pk]) + "?q=m"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_graph_list_shows_only_the_users_organisations(client, users, chain_graph, other_graph):
    client.force_login(users["a_viewer"])
    body = text(client.get(reverse("kg:graphs")))
    assert "plant" in body and reverse("kg:graph", args=[chain_graph.pk]) in body
    assert "plant-b-graph" not in body
    # counts of entities and relations
    row = re.search(r'<a href="%s">plant</a>.*?</tr>' % reverse("kg:graph", args=[chain_graph.pk]), body, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row)[:2] == ["7", "6"]
    client.force_login(users["hq_dev"])  # HQ sees both branches
    body = text(client.get(reverse("kg:graphs")))
    assert "plant-b-graph" in body and ">plant<" in body


def test_other_branch_gets_404(client, users, chain_graph, other_graph):
    client.force_login(users["b_dev"])
    assert client.get(reverse("kg:graph", args=[chain_graph.pk])).status_code == 404
    assert client.get(reverse("kg:search", args=[chain_graph.pk]) + "?q=m", **HTMX).status_code == 404
    client.force_login(users["a_viewer"])
    assert client.get(reverse("kg:graph", args=[other_graph.pk]) + "?entity=secret-site").status_code == 404


def test_neighbourhood_page_draws_chart_and_lists_triples(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    response = client.get(reverse("kg:graph", args=[chain_graph.pk]) + "?entity=m2&hops=1")
    assert response.status_code == 200
    body = text(response)
    assert "vendor/echarts/echarts.min.js" in body and "kg/viewer.js" in body
    data = chart_data(response)
    assert data["centre"] == "m2"
    assert {n["id"]: n["distance"] for n in data["nodes"]} == {"m2": 0, "m1": 1, "m3": 1}
    assert sorted((link["source"], link["label"], link["target"]) for link in data["links"]) == [
        ("m1", "feeds", "m2"), ("m2", "feeds", "m3")]
    assert data["edge_labels"] is True
    # class colours follow the ontology's order: Machine and Pump, each its own colour
    cats = {c["name"]: c["color"] for c in data["categories"]}
    assert set(cats) == {"Machine", "Pump"} and cats["Machine"] != cats["Pump"]
    assert {n["id"]: data["categories"][n["category"]]["name"] for n in data["nodes"]} == {
        "m2": "Machine", "m1": "Pump", "m3": "Pump"}
    # the triples table, with links that recentre
    table = re.search(r'<table id="kg-triples">.*?</table>', body, re.S).group(0)
    assert table.count("<tr>") == 3  # head + 2 triples
    assert 'data-kg-entity="m1"' in table and 'data-kg-entity="m3"' in table and ">feeds<" in table
    # the centre's card
    assert "Machine 2" in body and "power_kw" in body


def test_hops_and_default_centre(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    url = reverse("kg:graph", args=[chain_graph.pk])
    data = chart_data(client.get(url))  # no entity: the best-connected one (m0: located_in, monitors, feeds)
    assert data["centre"] == "m0"
    assert {n["id"] for n in data["nodes"]} == {"m0", "m1", "m2", "site", "s0"}  # 2 hops by default
    data = chart_data(client.get(url + "?entity=m0&hops=4"))
    assert {n["id"] for n in data["nodes"]} == {"m0", "m1", "m2", "m3", "m4", "site", "s0"}
    response = client.get(url + "?entity=m0&hops=4&max_nodes=50")
    assert "kg-truncated" not in text(response)


def test_htmx_recentre_answers_a_fragment(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    response = client.get(reverse("kg:graph", args=[chain_graph.pk]) + "?entity=m4&hops=2", **HTMX)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    body = text(response)
    assert "<html" not in body and 'id="kg-form"' in body
    assert 'name="entity" value="m4"' in body
    assert {n["id"] for n in chart_data(response)["nodes"]} == {"m4", "m3", "m2"}


def test_bad_parameters_and_unknown_entities(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    url = reverse("kg:graph", args=[chain_graph.pk])
    response = client.get(url + "?entity=m0&hops=9")
    assert response.status_code == 400 and "kg-errors" in text(response)
    response = client.get(url + "?entity=nowhere", **HTMX)
    assert response.status_code == 404 and "No entity nowhere in this graph." in text(response)


def test_entity_search(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    url = reverse("kg:search", args=[chain_graph.pk])
    body = text(client.get(url + "?q=machine", **HTMX))
    assert "<html" not in body
    assert re.findall(r'data-kg-entity="([^"]+)"', body) == ["m0", "m1", "m2", "m3", "m4"]
    body = text(client.get(url + "?q=vibration", **HTMX))
    assert re.findall(r'data-kg-entity="([^"]+)"', body) == ["s0"]
    assert "No entity matches" in text(client.get(url + "?q=zzz", **HTMX))
    assert text(client.get(url, **HTMX)).strip() == ""
    # without JavaScript the form lands on a page of its own
    page = client.get(url + "?q=site")
    assert page.status_code == 200 and "<html" in text(page) and 'data-kg-entity="site"' in text(page)


def test_viewer_speaks_chinese(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    response = client.get(reverse("kg:graph", args=[chain_graph.pk]) + "?entity=m2", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = text(response)
    assert "知识图谱" in body and "所示三元组" in body
    assert chart_data(response)["text"]["relation"] == "关系"
