"""The event workflow refuses illegal transitions, in the lib, the actions and the API (409,
nothing changed), and measures response and handling times."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.platform.models import AuditEvent
from verticals.city.lib import workflow
from verticals.city.models import Camera, Event, EventTransition


@pytest.mark.parametrize("current, target, legal", [
    ("new", "dispatched", True), ("dispatched", "handled", True), ("handled", "closed", True),
    ("new", "handled", False), ("dispatched", "closed", False), ("closed", "new", False),
    ("handled", "dispatched", False), ("new", "bogus", False),
])
def test_transitions(current, target, legal):
    assert (workflow.transition_problem(current, target, note="x") is None) is legal


def test_closing_a_new_event_needs_a_note():
    assert "note" in workflow.transition_problem("new", "closed", note="")
    assert workflow.transition_problem("new", "closed", note="false alarm: a shadow") is None


@pytest.fixture
def event(orgs):
    cam = Camera.objects.create(organisation=orgs["a"], code="gate", name="Gate", source="/v.avi")
    return Event.objects.create(organisation=orgs["a"], camera=cam, kind="muck_restricted", title="muck truck",
                                occurred_at=timezone.now() - timedelta(seconds=120))


def test_api_walks_the_workflow_and_measures_times(event, users, api):
    client = api(users["a_operator"])
    url = f"/api/v1/city/events/{event.pk}/transition/"
    r = client.post(url, {"to": "dispatched", "assignee": "patrol team 3"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "dispatched"
    assert 119 <= r.json()["response_seconds"] < 180 and r.json()["assignee"] == "patrol team 3"
    assert client.post(url, {"to": "handled"}, format="json").status_code == 200
    body = client.post(url, {"to": "closed", "note": "fined"}, format="json").json()
    assert body["status"] == "closed" and [t["to"] for t in body["transitions"]] == ["dispatched", "handled",
                                                                                      "closed"]
    assert AuditEvent.objects.filter(action="city.event.transition").count() == 3


def test_api_refuses_illegal_steps_and_changes_nothing(event, users, api):
    client = api(users["a_operator"])
    url = f"/api/v1/city/events/{event.pk}/transition/"
    r = client.post(url, {"to": "handled"}, format="json")
    assert r.status_code == 409 and "can only become dispatched or closed" in r.json()["message"]
    assert client.post(url, {"to": "closed"}, format="json").status_code == 409  # no note
    assert client.post(url, {"to": "lost"}, format="json").status_code == 400
    event.refresh_from_db()
    assert event.status == "new" and event.dispatched_at is None and not EventTransition.objects.exists()
    # a viewer may read but not act; another branch does not see it
    assert api(users["a_viewer"]).post(url, {"to": "dispatched"}, format="json").status_code == 403
    assert api(users["b_dev"]).post(url, {"to": "dispatched"}, format="json").status_code == 404
    assert api(users["a_viewer"]).get(f"/api/v1/city/events/{event.pk}/").json()["status"] == "new"


def test_event_pages_list_and_move_an_event(event, users, client):
    client.force_login(users["a_operator"])
    assert f'data-event="{event.pk}"' in client.get("/v/city/events/").content.decode()
    page = client.get(f"/v/city/events/{event.pk}/").content.decode()
    assert 'data-to="dispatched"' in page and 'data-to="closed"' in page
    r = client.post(f"/v/city/events/{event.pk}/transition/", {"to": "handled"})
    assert r.status_code == 302
    assert "can only become" in client.get(r["Location"]).content.decode()
    client.post(f"/v/city/events/{event.pk}/transition/", {"to": "dispatched", "assignee": "team 1"})
    event.refresh_from_db()
    assert event.status == "dispatched" and event.assignee == "team 1"


def test_recorded_event_keeps_its_evidence_frame_and_boxes(orgs, users, api):
    import cv2
    import numpy as np

    from verticals.city.actions.events import record_event
    from verticals.city.lib.rules import Hit

    cam = Camera.objects.create(organisation=orgs["a"], code="cam", name="Cam", source="/v.avi", lat=60.17,
                                lon=24.94)
    frame = np.zeros((360, 640, 3), np.uint8)
    frame[100:150, 200:300] = (0, 128, 255)
    hit = Hit(rule_id=None, kind="muck_uncovered", track_id=4, cls="muck_truck_uncovered", title="uncovered")
    e = record_event(camera=cam, hit=hit, frame_bgr=frame, boxes=[{"track_id": 4, "cls": hit.cls,
                                                                   "box": [200, 100, 300, 150]}],
                     occurred_at=timezone.now())
    assert e.lat == 60.17 and e.details["frame_width"] == 640
    r = api(users["a_viewer"]).get(f"/api/v1/city/events/{e.pk}/evidence.jpg")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    img = cv2.imdecode(np.frombuffer(r.content, np.uint8), cv2.IMREAD_COLOR)
    assert img.shape == (360, 640, 3) and abs(int(img[125, 250, 2]) - 255) < 20 and img[10, 10].max() < 20
    assert AuditEvent.objects.filter(action="city.event.raised").count() == 1
