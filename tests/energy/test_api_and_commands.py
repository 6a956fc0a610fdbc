"""The grid API, the import_grid command and the energy demo seed."""
import pytest
from django.core.management import CommandError, call_command

from core.kg.models import Graph
from verticals.energy.models import Grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def case14(orgs, users):
    from verticals.energy.actions.grids import import_grid

    return import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])[0]


def test_outage_api_plans_and_verifies(api, users, case14):
    c = api(users["a_viewer"])
    assert [g["case"] for g in c.get("/api/v1/energy/grids/").json()] == ["case14"]
    assert api(users["b_dev"]).get("/api/v1/energy/grids/").json() == []
    url = f"/api/v1/energy/grids/{case14.pk}/outage/"
    r = c.post(url, {"tripped": ["trafo:3"], "verify": True}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    # trafo:3 islands IEEE bus 8, whose only machine is a 0 MW condenser: lost, and no tie reaches it
    assert body["outage"]["lost_buses"] == ["bus:7"] and body["reference_sources"] == []
    assert body["powerflow"]["ok"] is True and body["search"]["found"] is True
    assert [s["action"] for s in body["steps"]] == ["isolate", "unrestorable", "verify"]
    r = c.post(url, {"tripped": ["line:99"]}, format="json")
    assert r.status_code == 400 and "not a line" in r.json()["errors"]["tripped"][0]
    assert api(users["b_dev"]).post(url, {"tripped": ["line:0"]}, format="json").status_code == 404
    # the graph API sees the same grid
    r = c.get(f"/api/v1/kg/graphs/{case14.graph.pk}/shortest-path/?src=bus:0&dst=bus:13")
    assert r.json()["found"] and r.json()["nodes"][0]["cls"] == "Bus"


def test_import_grid_command(orgs, capsys):
    call_command("import_grid", "--case", "case14", "--organisation", "plant-b")
    out = capsys.readouterr().out
    assert "imported case14 as graph 'grid-case14'" in out and "14 buses" in out
    assert Grid.objects.get(graph__organisation=orgs["b"]).case == "case14"
    with pytest.raises(CommandError, match="already has a knowledge graph named 'grid-case14'"):
        call_command("import_grid", "--case", "case14", "--organisation", "plant-b")
    with pytest.raises(CommandError, match="no organisation"):
        call_command("import_grid", "--case", "case14", "--organisation", "nowhere")


def test_demo_seed_is_idempotent(orgs):
    from verticals.energy.demo import seed

    first = seed(organisation=orgs["hq"], acting_user=None)
    assert sorted(first) == ["case14", "forecast_job", "heat_load_job", "mv_oberrhein", "patrol_job"]
    assert seed(organisation=orgs["hq"], acting_user=None) == {}
    assert sorted(Graph.objects.filter(organisation=orgs["hq"]).values_list("name", flat=True)) == [
        "grid-case14", "grid-mv-oberrhein"]
