"""Fault incidents on a grid: a dispatcher records the trip of a line or transformer as an
active fault (the outage analysis and restoration plan stored as computed then), clears it
as restored, and sees the active ones on the grid page and the energy dashboard."""
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.platform.models import AuditEvent
from verticals.energy.models import FaultIncident

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


def json_script(response, element_id):
    match = re.search(r'<script id="%s" type="application/json">(.*?)</script>' % element_id, text(response), re.S)
    assert match, f"no #{element_id} in the page"
    return json.loads(match.group(1))


def dashboard_panel(response):
    return re.search(r'<section class="panel flush" id="panel-faults">.*?</section>', text(response), re.S).group(0)


@pytest.fixture
def case14(orgs, users):
    from verticals.energy.actions.grids import import_grid

    return import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])[0]


def faults_url(grid):
    return f"/api/v1/energy/grids/{grid.pk}/faults/"


def test_open_fault_stores_the_plan_of_the_outage_analysis(api, users, case14):
    from verticals.energy.queries import outage_plan

    c = api(users["a_operator"])
    r = c.post(faults_url(case14), {"element": "trafo:3", "alarms": ["ALM-ZSOC", "breaker opened"]}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    expected = outage_plan(case14, ["trafo:3"], verify=True)
    incident = FaultIncident.objects.get()
    assert body["id"] == incident.pk and body["status"] == "active" and body["opened_by"] == "a_operator"
    assert body["element"] == "trafo:3" and body["alarms"] == ["ALM-ZSOC", "breaker opened"]
    assert body["plan"]["outage"]["lost_buses"] == expected["outage"]["lost_buses"] == incident.lost_buses
    assert body["plan"]["outage"]["islands"] == expected["outage"]["islands"]
    assert body["plan"]["steps"] == expected["steps"]
    # IEEE bus 8 holds only a 0 MW condenser: cut off, it is lost and stays off until the repair
    assert [s["action"] for s in incident.plan["steps"]] == ["isolate", "unrestorable", "verify"]
    assert incident.lost_buses == ["bus:7"] and incident.plan["reference_sources"] == []
    assert incident.powerflow_ok is True and body["powerflow_ok"] is True
    assert incident.plan["powerflow"]["restored"]["converged"] is True
    assert body["cleared_at"] is None and body["restoration_s"] is None
    event = AuditEvent.objects.get(action="energy.fault.open")
    assert event.object_id == str(incident.pk) and event.actor == users["a_operator"]
    assert event.data["element"] == "trafo:3" and event.organisation == case14.graph.organisation
    # the grid's list shows it; viewers read it
    listed = api(users["a_viewer"]).get(faults_url(case14)).json()
    assert [f["id"] for f in listed] == [incident.pk] and "plan" not in listed[0]
    detail = api(users["a_viewer"]).get(f"/api/v1/energy/faults/{incident.pk}/").json()
    assert detail["plan"]["steps"] == expected["steps"]


def test_a_second_active_fault_on_the_element_is_refused_with_409(api, users, case14):
    c = api(users["a_operator"])
    assert c.post(faults_url(case14), {"element": "line:0"}, format="json").status_code == 201
    r = c.post(faults_url(case14), {"element": "line:0"}, format="json")
    assert r.status_code == 409
    assert "line:0 already has an active fault" in r.json()["message"]
    assert FaultIncident.objects.filter(element="line:0").count() == 1
    # the action is guarded too, and so is the database
    from verticals.energy.actions.faults import FaultConflict, open_fault

    with pytest.raises(FaultConflict):
        open_fault(case14, "line:0", acting_user=users["a_operator"])
    # another element of the same grid is its own fault
    assert c.post(faults_url(case14), {"element": "line:1"}, format="json").status_code == 201
    assert FaultIncident.objects.filter(status="active").count() == 2


def test_unknown_element_is_refused_naming_it_and_nothing_is_written(api, users, case14):
    c = api(users["a_operator"])
    events = AuditEvent.objects.count()
    for element in ("line:99", "bus:3", "switch:0"):
        r = c.post(faults_url(case14), {"element": element}, format="json")
        assert r.status_code == 400, r.content
        assert element in r.json()["errors"]["element"][0] and "not a line or transformer" in r.json()["message"]
    r = c.post(faults_url(case14), {"alarms": ["x"]}, format="json")
    assert r.status_code == 400 and "element" in r.json()["errors"]
    r = c.post(faults_url(case14), {"element": "line:0", "alarms": "not a list"}, format="json")
    assert r.status_code == 400 and "alarms" in r.json()["errors"]
    assert FaultIncident.objects.count() == 0 and AuditEvent.objects.count() == events


def test_clear_marks_restored_with_the_restoration_time(api, users, case14):
    c = api(users["a_operator"])
    fault_id = c.post(faults_url(case14), {"element": "trafo:3"}, format="json").json()["id"]
    opened = timezone.now() - timedelta(minutes=42)
    FaultIncident.objects.filter(pk=fault_id).update(opened_at=opened)  # opened 42 minutes ago
    r = c.post(f"/api/v1/energy/faults/{fault_id}/clear/", {"note": "trafo:3 back in service"}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "restored" and body["cleared_by"] == "a_operator"
    assert body["clear_note"] == "trafo:3 back in service"
    incident = FaultIncident.objects.get(pk=fault_id)
    assert incident.restoration_time == incident.cleared_at - incident.opened_at
    assert 42 * 60 <= body["restoration_s"] < 43 * 60
    assert AuditEvent.objects.get(action="energy.fault.clear").data["restoration_s"] == body["restoration_s"]
    # cleared once only
    r = c.post(f"/api/v1/energy/faults/{fault_id}/clear/", {}, format="json")
    assert r.status_code == 409 and "already cleared" in r.json()["message"]
    # the element may fault again
    assert c.post(faults_url(case14), {"element": "trafo:3"}, format="json").status_code == 201


def test_faults_of_another_branch_do_not_exist(api, users, case14, orgs):
    from verticals.energy.actions.grids import import_grid

    grid_b = import_grid(case="case14", organisation=orgs["b"], acting_user=users["b_dev"])[0]
    fault_id = api(users["a_operator"]).post(faults_url(case14), {"element": "line:2"}, format="json").json()["id"]
    b = api(users["b_dev"])
    assert b.get(faults_url(case14)).status_code == 404
    assert b.post(faults_url(case14), {"element": "line:3"}, format="json").status_code == 404
    assert b.get(f"/api/v1/energy/faults/{fault_id}/").status_code == 404
    assert b.post(f"/api/v1/energy/faults/{fault_id}/clear/", {}, format="json").status_code == 404
    assert FaultIncident.objects.get(pk=fault_id).status == "active"
    assert b.post(faults_url(grid_b), {"element": "line:2"}, format="json").status_code == 201  # its own grid
    # faults/?status=active lists across the user's grids only; HQ sees both branches
    assert [f["grid"] for f in b.get("/api/v1/energy/faults/?status=active").json()] == [grid_b.pk]
    assert [f["grid"] for f in api(users["a_viewer"]).get("/api/v1/energy/faults/?status=active").json()] == [case14.pk]
    hq = api(users["hq_dev"]).get("/api/v1/energy/faults/").json()
    assert sorted(f["grid"] for f in hq) == [case14.pk, grid_b.pk]
    api(users["a_operator"]).post(f"/api/v1/energy/faults/{fault_id}/clear/", {}, format="json")
    assert api(users["a_viewer"]).get("/api/v1/energy/faults/?status=active").json() == []
    assert [f["id"] for f in api(users["a_viewer"]).get("/api/v1/energy/faults/?status=restored").json()] == [fault_id]
    r = api(users["a_viewer"]).get("/api/v1/energy/faults/?status=open")
    assert r.status_code == 400 and "status" in r.json()["errors"]
    # pages: another branch's fault cannot be cleared there either
    from django.test import Client

    client = Client()
    client.force_login(users["b_dev"])
    assert client.post(reverse("energy:restore_fault", args=[fault_id]), **HTMX).status_code == 404
    assert client.post(reverse("energy:record_fault", args=[case14.pk]), {"element": "line:4"}).status_code == 404


def test_viewers_read_but_cannot_open_or_clear(api, users, case14, client):
    v = api(users["a_viewer"])
    r = v.post(faults_url(case14), {"element": "line:0"}, format="json")
    assert r.status_code == 403 and "operator role" in r.json()["message"]
    assert FaultIncident.objects.count() == 0
    fault_id = api(users["a_operator"]).post(faults_url(case14), {"element": "line:0"}, format="json").json()["id"]
    assert v.post(f"/api/v1/energy/faults/{fault_id}/clear/", {}, format="json").status_code == 403
    assert api(users["b_auditor"]).get("/api/v1/energy/faults/").json() == []
    assert FaultIncident.objects.get(pk=fault_id).status == "active"
    # the page offers them no buttons, and refuses the POST
    client.force_login(users["a_viewer"])
    trip = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "line:1"}, **HTMX)
    assert "record-fault" not in text(trip)
    page = client.get(reverse("energy:grid", args=[case14.pk]))
    assert 'data-fault="%d"' % fault_id in text(page) and "data-restore" not in text(page)
    r = client.post(reverse("energy:record_fault", args=[case14.pk]), {"element": "line:1"}, **HTMX)
    assert r.status_code == 403 and "operator role" in text(r)
    assert client.post(reverse("energy:restore_fault", args=[fault_id]), **HTMX).status_code == 403
    assert FaultIncident.objects.count() == 1


def test_dispatcher_records_and_clears_from_the_pages(client, users, case14):
    client.force_login(users["a_operator"])
    dashboard = client.get(reverse("energy:dashboard"))
    assert "No active fault on the grids of your organisations." in dashboard_panel(dashboard)
    # the what-if result offers the record button for the tripped element
    trip = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "trafo:3", "verify": "on"}, **HTMX)
    form = re.search(r'<form id="record-fault-form".*?</form>', text(trip), re.S).group(0)
    assert 'hx-post="%s"' % reverse("energy:record_fault", args=[case14.pk]) in form
    assert 'name="element" value="trafo:3"' in form and "csrfmiddlewaretoken" in form
    r = client.post(reverse("energy:record_fault", args=[case14.pk]),
                    {"element": "trafo:3", "alarms": "ALM-ZSOC, relay 87T"}, **HTMX)
    assert r.status_code == 200, text(r)
    assert "<html" not in text(r) and 'data-element="trafo:3"' in text(r) and "Cannot restore" in text(r)
    incident = FaultIncident.objects.get()
    assert incident.alarms == ["ALM-ZSOC", "relay 87T"] and incident.opened_by == users["a_operator"]
    assert json_script(r, "faults-data") == {"lost": ["bus:7"], "tripped": ["trafo:3"]}
    # recorded twice: the panel says why (409)
    r = client.post(reverse("energy:record_fault", args=[case14.pk]), {"element": "trafo:3"}, **HTMX)
    assert r.status_code == 409 and "already has an active fault" in text(r) and 'id="fault-error"' in text(r)
    r = client.post(reverse("energy:record_fault", args=[case14.pk]), {"element": "line:77"}, **HTMX)
    assert r.status_code == 400 and "&#x27;line:77&#x27; is not a line or transformer" in text(r)
    # the dashboard lists it with a link to the grid page
    panel = dashboard_panel(client.get(reverse("energy:dashboard")))
    assert 'data-fault="%d"' % incident.pk in panel and "trafo:3" in panel and "grid-case14" in panel
    assert reverse("energy:grid", args=[case14.pk]) in panel and 'id="active-fault-count">1<' in panel
    # the grid page shows it in its panel with the Restored button
    page = client.get(reverse("energy:grid", args=[case14.pk]))
    assert 'data-restore="%d"' % incident.pk in text(page)
    r = client.post(reverse("energy:restore_fault", args=[incident.pk]), {"note": "reclosed"}, **HTMX)
    assert r.status_code == 200 and "No active fault on this grid." in text(r)
    assert 'id="restored-faults"' in text(r) and "reclosed" in text(r)
    assert json_script(r, "faults-data") == {"lost": [], "tripped": []}
    incident.refresh_from_db()
    assert incident.status == "restored" and incident.restoration_time is not None
    panel = dashboard_panel(client.get(reverse("energy:dashboard")))
    assert 'data-fault="%d"' % incident.pk not in panel and "No active fault" in panel
    # a plain POST (no JavaScript) goes back to the grid page
    r = client.post(reverse("energy:record_fault", args=[case14.pk]), {"element": "line:0"})
    assert r.status_code == 302 and r["Location"] == reverse("energy:grid", args=[case14.pk])


def test_distribution_fault_draws_its_lost_buses_red(client, orgs, users, topo):
    """On MV Oberrhein a line trip darkens part of a feeder: the incident keeps the lost buses
    the outage analysis finds, the grid page hands them to the chart, the dashboard counts them."""
    from verticals.energy.actions.grids import import_grid
    from verticals.energy.actions.faults import open_fault
    from verticals.energy.lib import restoration

    grid = import_grid(case="mv_oberrhein", organisation=orgs["a"], acting_user=users["a_dev"])[0]
    incident = open_fault(grid, "line:5", alarms=["feeder breaker trip"], acting_user=users["a_operator"])
    lost = restoration.analyse(topo("mv_oberrhein"), ["line:5"]).lost_buses
    assert len(lost) == 21 and incident.lost_buses == lost and incident.plan["outage"]["lost_buses"] == lost
    assert [c["element"] for c in incident.plan["close"]] == ["line:8"] and incident.powerflow_ok is True
    assert incident.lost_load_mw > 0
    client.force_login(users["a_viewer"])
    page = client.get(reverse("energy:grid", args=[grid.pk]))
    assert json_script(page, "faults-data") == {"lost": lost, "tripped": ["line:5"]}
    assert text(page).count('class="en-chip lost"') == 21
    board = dashboard_panel(client.get(reverse("energy:dashboard")))
    row = re.search(r'<tr data-fault="%d">.*?</tr>' % incident.pk, board, re.S).group(0)
    assert re.search(r"data-lost-count>21<", row) and "line:5" in row


def test_fault_panels_speak_chinese(client, users, case14):
    from verticals.energy.actions.faults import open_fault

    open_fault(case14, "line:0", acting_user=users["a_operator"])
    client.force_login(users["a_operator"])
    body = text(client.get(reverse("energy:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "当前故障" in body and "失电母线" in body
    body = text(client.get(reverse("energy:grid", args=[case14.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "本电网的当前故障" in body and "已恢复" in body
    trip = client.post(reverse("energy:trip", args=[case14.pk]), {"tripped": "line:1"},
                       HTTP_ACCEPT_LANGUAGE="zh-hans", **HTMX)
    assert "记录为当前故障" in text(trip)
