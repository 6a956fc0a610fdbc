"""The ask box (kg/partials/ask_box.html, kg/ask.js) on the knowledge-graph viewer and on
a grid page: it posts to the graph's ask API, offers hint questions the graph has facts
for in the page's language, and the viewer draws an answer's citations (?mark=) ringed
whatever their distance from the centre. The browser side: tests/e2e/test_ask_browser.py."""
import json
import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db]


def text(response):
    return response.content.decode()


def json_script(response, element_id):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', text(response), re.DOTALL)
    assert match, f"no #{element_id} in the page"
    return json.loads(match.group(1))


def hints(response):
    return re.findall(r'data-kg-ask-hint="([^"]+)"', text(response))


@pytest.fixture
def fault_graph(orgs, users):
    from verticals.energy.actions.fault_kb import load_fault_kb

    return load_fault_kb(organisation=orgs["a"], acting_user=users["a_dev"])[0]


def test_viewer_has_the_ask_box_with_hints_the_graph_answers(client, api, users, fault_graph):
    client.force_login(users["a_viewer"])
    url = reverse("kg:graph", args=[fault_graph.pk])
    response = client.get(url + "?entity=fault:busbar")
    body = text(response)
    ask_url = reverse("api:kg-ask", args=[fault_graph.pk])
    assert f'data-url="{ask_url}"' in body and "kg/ask.js" in body and 'id="kg-ask-template"' in body
    assert hints(response) == ["How to handle Busbar fault?", "Which alarms indicate Busbar fault?",
                               "What type of fault is Busbar fault?"]  # the centre's first
    for question in hints(response):
        assert api(users["a_viewer"]).get(ask_url, {"question": question}).json()["answer"] is not None, question
    # in Chinese, and no hints in an HTMX recentre (the box stays outside the swapped part)
    zh = client.get(url + "?entity=fault:busbar", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert hints(zh)[0] == "母线故障怎么处理？" and "向图谱提问" in text(zh)
    assert 'id="kg-ask"' not in text(client.get(url + "?entity=fault:busbar", HTTP_HX_REQUEST="true"))


def test_viewer_draws_the_marked_entities_however_far(client, users, chain_graph):
    client.force_login(users["a_viewer"])
    url = reverse("kg:graph", args=[chain_graph.pk]) + "?entity=m0&hops=1&mark=m3&mark=m4&mark=nowhere&mark=m3"
    response = client.get(url)
    assert response.status_code == 200
    data = json_script(response, "kg-data")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert {k: n["distance"] for k, n in nodes.items() if n["marked"]} == {"m3": None, "m4": None}
    assert nodes["m1"]["distance"] == 1 and not nodes["m1"]["marked"]
    assert [(link["source"], link["target"]) for link in data["links"] if link["marked"]] == [("m3", "m4")]
    assert data["marked"] == ["m3", "m4"]
    body = text(response)
    # the form keeps the marks (so hops and recentring keep the highlight) and offers to clear them
    assert re.findall(r'name="mark" value="([^"]+)"', body) == ["m3", "m4", "nowhere"]
    assert "2 entities cited by the answer are ringed" in body and "data-kg-clear-marks" in body
    assert body.count('class="kg-cited-row"') == 1
    assert "kg-cited" not in text(client.get(reverse("kg:graph", args=[chain_graph.pk]) + "?entity=m0"))


def test_grid_page_has_the_ask_box_for_its_graph(client, orgs, users):
    from verticals.energy.actions.grids import import_grid

    grid = import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])[0]
    client.force_login(users["a_viewer"])
    response = client.get(reverse("energy:grid", args=[grid.pk]))
    body = text(response)
    assert f'data-url="{reverse("api:kg-ask", args=[grid.graph.pk])}"' in body and "kg/ask.js" in body
    assert hints(response) == ["Which buses are directly connected to Bus 1?", "What is the rated voltage of Bus 1?",
                               "If the line between Bus 1 and Bus 2 trips, which buses lose supply?"]
    zh = client.get(reverse("energy:grid", args=[grid.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert hints(zh)[1] == "1号母线的额定电压是多少？" and "答案引用" in text(zh)
