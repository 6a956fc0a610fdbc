"""/api/v1/city/: rules per camera (checked for their kind, audited, org-scoped) and events
(filters, detail with history, evidence, stats, workflow refusals that change nothing)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.platform.models import AuditEvent
from verticals.city.actions.events import transition_event
from verticals.city.models import Camera, Event, EventTransition, Rule

ZONE = [[0, 0], [200, 0], [200, 200], [0, 200]]


@pytest.fixture
def cams(orgs):
    return {"gate": Camera.objects.create(organisation=orgs["a"], code="gate", name="Gate", source="/v.avi"),
            "yard": Camera.objects.create(organisation=orgs["a"], code="yard", name="Yard", source="/y.avi"),
            "b": Camera.objects.create(organisation=orgs["b"], code="gate", name="B gate", source="/b.avi")}


# -- rules -----------------------------------------------------------------------------------

def test_create_list_update_delete_a_rule(cams, users, api):
    dev = api(users["a_dev"])
    url = f"/api/v1/city/cameras/{cams['gate'].pk}/rules/"
    r = dev.post(url, {"name": "stop line", "kind": "line_crossing", "geometry": [[300, 0], [300, 360]],
                       "params": {"classes": ["car"], "direction": "a_to_b", "hours": "22:00 - 06:00"}},
                 format="json")
    assert r.status_code == 201, r.content
    rule = r.json()
    # normalised: defaults filled in, hours without spaces
    assert rule["params"] == {"classes": ["car"], "direction": "a_to_b", "margin_px": 0.0, "hours": "22:00-06:00"}
    assert [x["name"] for x in api(users["a_viewer"]).get(url).json()["results"]] == ["stop line"]

    r = dev.patch(f"/api/v1/city/rules/{rule['id']}/", {"severity": 4, "enabled": False}, format="json")
    assert r.status_code == 200 and r.json()["severity"] == 4 and r.json()["enabled"] is False
    audit = AuditEvent.objects.get(action="city.rule.update")
    assert audit.data["changed"] == {"severity": {"from": 2, "to": 4}, "enabled": {"from": True, "to": False}}

    ev = Event.objects.create(organisation=cams["gate"].organisation, camera=cams["gate"], rule_id=rule["id"],
                              kind="line_crossing", title="car crossed", occurred_at=timezone.now())
    assert dev.delete(f"/api/v1/city/rules/{rule['id']}/").status_code == 204
    assert not Rule.objects.exists()
    ev.refresh_from_db()
    assert ev.rule_id is None and ev.kind == "line_crossing"  # the event stays
    assert AuditEvent.objects.filter(action__startswith="city.rule.").count() == 3


@pytest.mark.parametrize("body, field", [
    ({"name": "z", "kind": "zone_entry", "geometry": [[0, 0], [1, 1]]}, "geometry"),
    ({"name": "z", "kind": "zone_entry", "geometry": ZONE, "params": {"hours": "7-9"}}, "hours"),
    ({"name": "z", "kind": "count", "geometry": ZONE, "params": {}}, "max"),
    ({"name": "z", "kind": "line_crossing", "geometry": [[0, 0], [9, 9]], "params": {"direction": "up"}},
     "direction"),
    ({"name": "z", "kind": "speeding", "geometry": ZONE}, "kind"),
    ({"name": "z", "kind": "zone_entry", "geometry": ZONE, "severity": 9}, "severity"),
    ({"name": "z", "kind": "muck_uncovered", "geometry": "everywhere"}, "geometry"),
])
def test_bad_rules_are_400_naming_the_field_and_nothing_is_written(cams, users, api, body, field):
    r = api(users["a_dev"]).post(f"/api/v1/city/cameras/{cams['gate'].pk}/rules/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"], r.json()
    assert not Rule.objects.exists() and not AuditEvent.objects.filter(action__startswith="city.rule").exists()


def test_rule_changes_are_checked_as_a_whole_and_permissions_hold(cams, users, api):
    dev = api(users["a_dev"])
    url = f"/api/v1/city/cameras/{cams['gate'].pk}/rules/"
    zone = dev.post(url, {"name": "zone", "kind": "zone_entry", "geometry": ZONE}, format="json").json()
    assert dev.post(url, {"name": "zone", "kind": "loitering", "geometry": ZONE}, format="json").status_code == 400
    # a polygon is not a line: switching the kind alone is refused, nothing changes
    r = dev.patch(f"/api/v1/city/rules/{zone['id']}/", {"kind": "line_crossing"}, format="json")
    assert r.status_code == 400 and "geometry" in r.json()["errors"]
    assert dev.patch(f"/api/v1/city/rules/{zone['id']}/", {"camera": 3}, format="json").status_code == 400
    assert Rule.objects.get().kind == "zone_entry"
    # viewers and operators read but do not write; another branch does not see the camera
    assert api(users["a_viewer"]).get(f"/api/v1/city/rules/{zone['id']}/").status_code == 200
    assert api(users["a_operator"]).patch(f"/api/v1/city/rules/{zone['id']}/", {"severity": 1},
                                          format="json").status_code == 403
    assert api(users["a_viewer"]).delete(f"/api/v1/city/rules/{zone['id']}/").status_code == 403
    assert api(users["b_dev"]).get(f"/api/v1/city/rules/{zone['id']}/").status_code == 404
    assert api(users["b_dev"]).post(url, {"name": "x", "kind": "zone_entry", "geometry": ZONE},
                                    format="json").status_code == 404
    assert Rule.objects.count() == 1 and Rule.objects.get().severity == 2


# -- events ----------------------------------------------------------------------------------

@pytest.fixture
def events(cams):
    now = timezone.now()

    def ev(cam, kind, minutes_ago, **kw):
        return Event.objects.create(organisation=cam.organisation, camera=cam, kind=kind, title=f"{kind} at {cam}",
                                    occurred_at=now - timedelta(minutes=minutes_ago), **kw)
    return {"night": ev(cams["gate"], "muck_restricted", 5), "cross": ev(cams["gate"], "line_crossing", 50),
            "yard": ev(cams["yard"], "muck_uncovered", 120, status="dispatched"),
            "old": ev(cams["yard"], "count", 60 * 30), "other": ev(cams["b"], "count", 1)}


def ids(response):
    assert response.status_code == 200, response.content
    return {e["id"] for e in response.json()["results"]}


def test_event_list_filters_and_is_org_scoped(events, users, api):
    client = api(users["a_viewer"])
    e = events
    assert ids(client.get("/api/v1/city/events/")) == {e["night"].pk, e["cross"].pk, e["yard"].pk, e["old"].pk}
    assert ids(client.get("/api/v1/city/events/?status=dispatched")) == {e["yard"].pk}
    assert ids(client.get("/api/v1/city/events/?kind=count")) == {e["old"].pk}
    assert ids(client.get("/api/v1/city/events/?camera=yard")) == {e["yard"].pk, e["old"].pk}
    assert ids(client.get(f"/api/v1/city/events/?camera={e['night'].camera_id}")) == {e["night"].pk,
                                                                                     e["cross"].pk}
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    until = (timezone.now() - timedelta(minutes=30)).isoformat()
    assert ids(client.get("/api/v1/city/events/", {"since": since, "until": until})) == {e["cross"].pk}
    page = client.get("/api/v1/city/events/?limit=2&offset=1").json()
    assert page["count"] == 4 and [x["id"] for x in page["results"]] == [e["cross"].pk, e["yard"].pk]
    assert ids(api(users["b_dev"]).get("/api/v1/city/events/")) == {e["other"].pk}


@pytest.mark.parametrize("query, field", [("status=lost", "status"), ("kind=speeding", "kind"),
                                          ("since=yesterday", "since"), ("limit=0", "limit"),
                                          ("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until")])
def test_bad_filters_are_400(events, users, api, query, field):
    r = api(users["a_viewer"]).get(f"/api/v1/city/events/?{query}")
    assert r.status_code == 400 and field in r.json()["errors"]


def test_detail_has_the_history_and_evidence_is_404_when_absent(events, users, api):
    ev = events["night"]
    transition_event(ev, "dispatched", acting_user=users["a_operator"], assignee="team 2", note="go")
    body = api(users["a_viewer"]).get(f"/api/v1/city/events/{ev.pk}/").json()
    assert body["status"] == "dispatched" and body["assignee"] == "team 2"
    assert [(t["from"], t["to"], t["by"], t["note"]) for t in body["transitions"]] == [
        ("new", "dispatched", "a_operator", "go")]
    r = api(users["a_viewer"]).get(f"/api/v1/city/events/{ev.pk}/evidence.jpg")
    assert r.status_code == 404 and "evidence" in r.json()["message"]
    assert api(users["b_dev"]).get(f"/api/v1/city/events/{ev.pk}/").status_code == 404
    assert api().get("/api/v1/city/events/").status_code in (401, 403)


def test_a_closed_event_refuses_every_step_and_keeps_its_times(events, users, api):
    ev = events["yard"]  # dispatched
    client = api(users["a_operator"])
    url = f"/api/v1/city/events/{ev.pk}/transition/"
    assert client.post(url, {"to": "handled"}, format="json").status_code == 200
    assert client.post(url, {"to": "closed"}, format="json").status_code == 200
    before = Event.objects.get(pk=ev.pk)
    for to in ("new", "dispatched", "handled", "closed"):
        r = client.post(url, {"to": to, "note": "again"}, format="json")
        assert r.status_code == 409 and "closed" in r.json()["message"]
    assert client.post(url, {}, format="json").status_code == 400
    after = Event.objects.get(pk=ev.pk)
    assert (after.status, after.closed_at, after.handled_at) == ("closed", before.closed_at, before.handled_at)
    assert EventTransition.objects.filter(event=ev).count() == 2
    assert AuditEvent.objects.filter(action="city.event.transition").count() == 2


def test_stats_count_by_kind_and_hour_of_day_and_response_times(events, users, api):
    now = timezone.now()
    for ev, seconds in ((events["night"], 100), (events["cross"], 300)):
        Event.objects.filter(pk=ev.pk).update(occurred_at=now - timedelta(seconds=seconds))
        ev.refresh_from_db()
        transition_event(ev, "dispatched", acting_user=users["a_operator"])
    stats = api(users["a_viewer"]).get("/api/v1/city/events/stats/?hours=24").json()
    assert {k["kind"]: k["count"] for k in stats["by_kind"]} == {"muck_restricted": 1, "line_crossing": 1,
                                                                 "muck_uncovered": 1}  # "old" is 30 h ago
    assert sum(stats["by_hour_of_day"]) == 3 and len(stats["by_hour_of_day"]) == 24
    expected_hour = timezone.localtime(events["yard"].occurred_at).hour
    assert stats["by_hour_of_day"][expected_hour] >= 1
    assert 199 <= stats["response_mean_s"] <= 215 and 199 <= stats["response_median_s"] <= 215
    assert stats["handling_mean_s"] is None
    assert api(users["a_viewer"]).get("/api/v1/city/events/stats/?hours=0").status_code == 400
