"""The energy pages: the grid list, a grid's topology chart, the trip-an-element form
(HTMX and plain POST) with the dispatcher's steps and the power-flow check, the panels fed
by the forecast models, and isolation between sibling branches."""
import io
import json
import re

import pytest
from django.urls import reverse

from core.platform.verticals import Dashboard, MenuItem, registry

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


def json_script(response, element_id):
    match = re.search(r'<script id="%s" type="application/json">(.*?)</script>' % element_id, text(response), re.S)
    assert match, f"no #{element_id} in the page"
    return json.loads(match.group(1))


@pytest.fixture
def case14(orgs, users):
    from verticals.energy.actions.grids import import_grid

    return import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])[0]


def test_menu_dashboard_and_urls():
    assert registry["menu"]["energy"][0] == MenuItem(label=registry["menu"]["energy"][0].label,
                                                     url_name="energy:dashboard", icon="bolt")
    board = registry["dashboards"]["energy.grids"]
    assert isinstance(board, Dashboard) and board.url_name == "energy:dashboard"
    assert reverse("energy:dashboard") == "/v/energy/"
    assert reverse("energy:grid", args=[3]) == "/v/energy/grids/3/"
    assert reverse("energy:trip", args=[3]) == "/v/energy/grids/3/trip/"


def test_pages_need_login(client, case14):
    for url in (reverse("energy:dashboard"), reverse("energy:grid", args=[case14.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "line:0"}).status_code == 302


def panel(response, name):
    return re.search(r'<section class="panel" id="panel-%s">.*?</section>' % name, text(response), re.S).group(0)


def without_patrol_defects(monkeypatch):
    """The energy ontology as it was before the patrol work declared PatrolDefect."""
    import copy

    spec = copy.deepcopy(registry["ontologies"]["energy"])
    spec["classes"].pop("PatrolDefect", None)
    spec["relations"].pop("observed_on", None)
    monkeypatch.setitem(registry["ontologies"], "energy", spec)


def test_dashboard_lists_the_branch_grids_with_labelled_placeholders(client, users, case14, monkeypatch):
    client.force_login(users["a_viewer"])
    response = client.get(reverse("energy:dashboard"))
    assert response.status_code == 200
    body = text(response)
    assert reverse("energy:grid", args=[case14.pk]) in body and "case14" in body
    assert '<div class="value" id="total-grids">1</div>' in body
    # no forecast model yet: a labelled placeholder; patrol defects: none recorded yet
    assert "Placeholder" in panel(response, "forecast") and "Coming soon" in panel(response, "forecast")
    assert "No patrol defects recorded yet." in panel(response, "defects")
    without_patrol_defects(monkeypatch)
    block = panel(client.get(reverse("energy:dashboard")), "defects")
    assert "Placeholder" in block and "Coming soon" in block
    client.force_login(users["b_dev"])
    body = text(client.get(reverse("energy:dashboard")))
    assert reverse("energy:grid", args=[case14.pk]) not in body and "No grid in your organisations yet." in body


def test_grid_page_draws_the_topology_by_voltage_level(client, users, case14):
    client.force_login(users["a_viewer"])
    response = client.get(reverse("energy:grid", args=[case14.pk]))
    assert response.status_code == 200
    body = text(response)
    assert "vendor/echarts/echarts.min.js" in body and "energy/grid.js" in body
    chart = json_script(response, "grid-data")
    assert len(chart["nodes"]) == 14 and len(chart["links"]) == 20
    assert [c["name"] for c in chart["categories"]] == ["135 kV", "14 kV", "12 kV", "0.208 kV"]
    assert len({c["color"] for c in chart["categories"]}) == 4
    bus0 = next(n for n in chart["nodes"] if n["id"] == "bus:0")
    assert chart["categories"][bus0["category"]]["name"] == "135 kV" and bus0["sources"] == ["ext_grid:0"]
    assert chart["layout"] == "geo" and all("x" in n and "y" in n for n in chart["nodes"])  # case14 has coordinates
    # the trip form offers the lines and transformers in service
    options = re.findall(r'<option value="([a-z0-9:]+)"', body)
    assert "line:0" in options and "trafo:0" in options and len(options) == 20
    assert "Trip a line or transformer to see" in body


def test_other_branch_gets_404(client, users, case14):
    client.force_login(users["b_dev"])
    assert client.get(reverse("energy:grid", args=[case14.pk])).status_code == 404
    assert client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "line:0"}, **HTMX).status_code == 404


def test_trip_shows_the_steps_and_the_power_flow_check(client, users, case14):
    client.force_login(users["a_viewer"])
    response = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "trafo:3", "verify": "on"}, **HTMX)
    assert response.status_code == 200, text(response)
    body = text(response)
    assert "<html" not in body and "HX-Request" in response["Vary"]
    steps = re.search(r'<ol id="restoration-steps".*?</ol>', body, re.S).group(0)
    # IEEE bus 8 holds only a 0 MW condenser: cut off by trafo:3 it loses supply, and no tie reaches it
    assert re.findall(r'data-action="([a-z_]+)"', steps) == ["isolate", "unrestorable", "verify"]
    assert "No tie or standby source reaches 1 bus(es)" in steps and "Cannot restore" in steps
    assert "Plan checked" in body and 'data-state="restored"' in body and 'data-found="true"' in body
    assert json_script(response, "outage-data") == {"tripped": ["trafo:3"], "lost": ["bus:7"], "restored": [],
                                                   "unrestored": ["bus:7"], "close": []}
    # without the power flow
    response = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "line:0"}, **HTMX)
    assert 'id="powerflow-skipped"' in text(response) and "No bus lost supply." in text(response)


def test_trip_on_a_distribution_grid_loses_buses_and_closes_a_tie(client, orgs, users):
    from verticals.energy.actions.grids import import_grid

    grid = import_grid(case="mv_oberrhein", organisation=orgs["a"], acting_user=users["a_dev"])[0]
    client.force_login(users["a_operator"])
    page = client.get(reverse("energy:grid", args=[grid.pk]))
    chart = json_script(page, "grid-data")
    assert chart["layout"] == "geo" and [c["name"] for c in chart["categories"]] == ["110 kV", "20 kV"]
    assert any(not link["closed"] for link in chart["links"])  # the open ring ties
    response = client.post(reverse("energy:trip", args=[grid.pk]), {"tripped": "line:5", "verify": "on"}, **HTMX)
    assert response.status_code == 200
    overlay = json_script(response, "outage-data")
    assert overlay["tripped"] == ["line:5"] and len(overlay["lost"]) == 21 and overlay["close"] == ["line:8"]
    assert overlay["restored"] == overlay["lost"]
    body = text(response)
    assert re.findall(r'data-action="([a-z_]+)"', body) == ["isolate", "close_switch", "verify"]
    assert '<span class="en-kpi-value" id="lost-count">21</span>' in body and "7.51" in body
    assert "Close normally-open switch:14 on" in body and "Plan checked" in body
    assert 'data-found="true" data-strategy="single_tie"' in body
    # line:59: the one-tie plan would load trafo:142 to 107.3 %; the page says so and shows the staged pick-up
    response = client.post(reverse("energy:trip", args=[grid.pk]), {"tripped": "line:59", "verify": "on"}, **HTMX)
    body = text(response)
    assert 'data-found="true" data-strategy="staged"' in body and "107.3%" in body
    assert re.findall(r'data-action="([a-z_]+)"', body) == ["isolate", "open_switch", "close_switch", "left_dark",
                                                             "verify"]


def test_bad_trips_are_refused_with_the_reason(client, users, case14):
    client.force_login(users["a_viewer"])
    url = reverse("energy:trip", args=[case14.pk])
    response = client.post(url, {"tripped": "line:99"}, **HTMX)
    assert response.status_code == 400 and 'id="outage-errors"' in text(response)
    assert "line:99 is not one of the available choices" in text(response)
    assert client.post(url, {}, **HTMX).status_code == 400
    assert client.get(url).status_code == 405


def test_plain_post_answers_the_whole_page(client, users, case14):
    client.force_login(users["a_viewer"])
    response = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "trafo:3"})
    assert response.status_code == 200
    body = text(response)
    assert "<html" in body and 'id="grid-chart"' in body and 'id="restoration-steps"' in body
    assert '<option value="trafo:3" selected>' in body


def test_forecast_panel_reads_the_energy_models(client, orgs, users, case14):
    from core.hub.actions.artifacts import store_artifact
    from core.hub.actions.registry import create_model, create_version

    art, _ = store_artifact(io.BytesIO(b"forecast bundle"), filename="f.zip", organisation=orgs["a"],
                            acting_user=users["a_dev"])
    model = create_model(name="station-load", organisation=orgs["a"], vertical="energy", acting_user=users["a_dev"])
    stamps = [f"2014-12-31T{h:02d}:00:00" for h in range(24)]
    create_version(model, artifact=art, acting_user=users["a_dev"], metrics={
        "mape": 3.2, "mape_seasonal_naive": 6.4, "rmse": 0.21, "skill_vs_seasonal": 0.5,
        "evaluation": {"timestamps": stamps, "actual": [4.0 + h / 10 for h in range(24)],
                       "forecast": [4.1 + h / 10 for h in range(24)], "seasonal_naive": [4.5] * 24,
                       "protocol": {"evaluation": "rolling origin, day-ahead", "first_test_day": "2014-11-05",
                                    "last_test_day": "2014-12-31"}}})
    client.force_login(users["a_viewer"])
    response = client.get(reverse("energy:grid", args=[case14.pk]))
    block = panel(response, "forecast")
    assert "Placeholder" not in block and "station-load v1" in block and 'data-kpi="mape"' in block
    data = json_script(response, "forecast-data")
    assert data["timestamps"] == stamps and data["forecast"][0] == 4.1 and data["seasonal_naive"] == [4.5] * 24
    # another branch's model stays out of Plant B's panel
    client.force_login(users["b_dev"])
    assert "Placeholder" in panel(client.get(reverse("energy:dashboard")), "forecast")


def test_grid_page_speaks_chinese(client, users, case14):
    client.force_login(users["a_viewer"])
    response = client.get(reverse("energy:grid", args=[case14.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = text(response)
    assert "拓扑" in body and "跳闸" in body and "占位" in body  # the forecast panel's placeholder
    assert json_script(response, "grid-data")["text"]["lost"] == "失电"
    response = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "trafo:3"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans", **HTMX)
    assert "调度员恢复步骤" in text(response) and "隔离" in text(response)


def test_patrol_panel_counts_defects_by_category(client, users, case14):
    """Patrol defects are PatrolDefect entities of the grid graphs (attribute `category`,
    observed_on a line), counted per category for the grid or for all visible grids."""
    from core.kg.actions.imports import import_triples
    from core.kg.lib.triples import EntityRow, RelationRow

    client.force_login(users["a_viewer"])
    url = reverse("energy:grid", args=[case14.pk])
    block = panel(client.get(url), "defects")
    assert "Placeholder" not in block and "No patrol defects recorded yet." in block
    found = [("insulator", "line:0"), ("insulator", "line:1"), ("bird_nest", "line:0")]
    import_triples(case14.graph, acting_user=users["a_dev"], source="patrol test",
                   entities=[EntityRow(key=f"patrol:t:{i}", cls="PatrolDefect", name=c, attributes={"category": c})
                             for i, (c, _) in enumerate(found)],
                   relations=[RelationRow(type="observed_on", src=f"patrol:t:{i}", dst=line)
                              for i, (_, line) in enumerate(found)])
    for page in (url, reverse("energy:dashboard")):
        response = client.get(page)
        assert json_script(response, "defects-data") == [{"category": "insulator", "count": 2, "label": "insulator"},
                                                         {"category": "bird_nest", "count": 1, "label": "bird nest"}]
        assert "3 defects recorded" in text(response)
    client.force_login(users["b_dev"])
    assert "No patrol defects recorded yet." in text(client.get(reverse("energy:dashboard")))
