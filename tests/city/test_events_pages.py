"""/v/city/events/: the list (filters, status badges, HTMX partial, org scope) and one event
(the evidence frame with its boxes drawn in SVG over the untouched JPEG, workflow buttons
posted through HTMX, refusals shown and nothing changed, history and response time)."""
import re
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from verticals.city.actions.events import record_event, transition_event
from verticals.city.lib.rules import Hit
from verticals.city.models import Camera, Event, EventTransition

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cam(orgs):
    return Camera.objects.create(organisation=orgs["a"], code="gate", name="North gate", source="/v.avi")


@pytest.fixture
def evs(orgs, cam, users):
    now = timezone.now()
    yard = Camera.objects.create(organisation=orgs["a"], code="yard", name="Yard", source="/y.avi")
    other = Camera.objects.create(organisation=orgs["b"], code="gate", name="B gate", source="/b.avi")
    mk = lambda c, kind, minutes: Event.objects.create(  # noqa: E731
        organisation=c.organisation, camera=c, kind=kind, title=f"{kind} on {c.code}",
        occurred_at=now - timedelta(minutes=minutes))
    out = {"new": mk(cam, "zone_entry", 1), "dispatched": mk(cam, "line_crossing", 10),
           "yard": mk(yard, "muck_uncovered", 300), "other": mk(other, "count", 2)}
    transition_event(out["dispatched"], "dispatched", acting_user=users["a_operator"], assignee="team 7")
    return out


def rows(html):
    return {int(x) for x in re.findall(r'data-event="(\d+)"', html)}


def test_list_filters_badges_and_scope(evs, users, client):
    client.force_login(users["a_viewer"])
    html = client.get("/v/city/events/").content.decode()
    assert rows(html) == {evs["new"].pk, evs["dispatched"].pk, evs["yard"].pk}
    assert re.search(r'class="badge bad" data-status="new"', html)
    assert re.search(r'class="badge warn" data-status="dispatched"', html) and "team 7" in html
    assert rows(client.get("/v/city/events/?status=dispatched").content.decode()) == {evs["dispatched"].pk}
    assert rows(client.get("/v/city/events/?kind=muck_uncovered").content.decode()) == {evs["yard"].pk}
    assert rows(client.get("/v/city/events/?camera=gate").content.decode()) == {evs["new"].pk,
                                                                                evs["dispatched"].pk}
    since = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert rows(client.get(f"/v/city/events/?since={since}").content.decode()) == {evs["new"].pk,
                                                                                   evs["dispatched"].pk}
    # the HTMX filter gets only the table; a bad filter is said, not a server error
    part = client.get("/v/city/events/?status=new&camera=gate", **HX).content.decode()
    assert "<html" not in part and rows(part) == {evs["new"].pk}
    bad = client.get("/v/city/events/?since=yesterday")
    assert bad.status_code == 200 and 'id="event-filter-error"' in bad.content.decode()
    client.force_login(users["b_dev"])
    assert rows(client.get("/v/city/events/").content.decode()) == {evs["other"].pk}
    assert client.get(f"/v/city/events/{evs['new'].pk}/").status_code == 404


def test_detail_draws_the_boxes_over_the_untouched_frame(cam, users, client):
    frame = np.full((360, 640, 3), 90, np.uint8)
    boxes = [{"track_id": 3, "cls": "muck_truck_uncovered", "box": [100, 120, 260, 220]},
             {"track_id": 8, "cls": "car", "box": [400, 150, 470, 200]}, {"cls": "car"}]  # last one is malformed
    hit = Hit(rule_id=None, kind="muck_uncovered", track_id=3, cls="muck_truck_uncovered", title="open load")
    ev = record_event(camera=cam, hit=hit, frame_bgr=frame, boxes=boxes, occurred_at=timezone.now())
    client.force_login(users["a_viewer"])
    html = client.get(f"/v/city/events/{ev.pk}/").content.decode()
    assert 'viewBox="0 0 640 360"' in html and f"/api/v1/city/events/{ev.pk}/evidence.jpg" in html
    drawn = re.findall(r'<g class="evidence-box( hit)?">\s*<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
                       r'height="([\d.]+)"', html)
    assert drawn == [(" hit", "100.0", "120.0", "160.0", "100.0"), ("", "400.0", "150.0", "70.0", "50.0")]
    assert "muck truck (uncovered load) #3" in html
    # a viewer sees the workflow but no buttons
    assert 'class="transition"' not in html and 'id="workflow"' in html
    # the stored JPEG is the plain frame: no box burnt into it
    import cv2
    jpeg = client.get(f"/api/v1/city/events/{ev.pk}/evidence.jpg").content
    img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert int(np.abs(img.astype(int) - 90).max()) <= 3


def test_workflow_through_htmx_with_refusals(evs, users, client):
    ev = evs["new"]
    client.force_login(users["a_operator"])
    page = client.get(f"/v/city/events/{ev.pk}/").content.decode()
    assert 'data-to="dispatched"' in page and 'hx-post="/v/city/events/' in page
    closing = re.search(r'data-to="closed".*?</form>', page, re.S).group(0)
    assert "required" in closing and "false alarm" in closing  # new -> closed needs a reason

    url = f"/v/city/events/{ev.pk}/transition/"
    r = client.post(url, {"to": "closed"}, **HX)  # no note
    assert r["X-Outcome"] == "409" and 'id="workflow-error"' in r.content.decode()
    r = client.post(url, {"to": "handled"}, **HX)
    assert r["X-Outcome"] == "409" and "can only become dispatched or closed" in r.content.decode()
    ev.refresh_from_db()
    assert ev.status == "new" and not EventTransition.objects.filter(event=ev).exists()

    r = client.post(url, {"to": "dispatched", "assignee": "patrol 4", "note": "on the way"}, **HX)
    body = r.content.decode()
    assert r["X-Outcome"] == "200" and "<html" not in body
    assert 'id="event-status" hx-swap-oob="true"' in body  # the header badge follows
    assert 'data-status="dispatched"' in body and "patrol 4" in body and 'data-to="handled"' in body
    assert re.search(r'id="response">\d+ s<', body)
    client.post(url, {"to": "handled"}, **HX)
    r = client.post(url, {"to": "closed", "note": "fined"}, **HX)
    assert "This event is closed." in r.content.decode() and 'class="transition"' not in r.content.decode()
    ev.refresh_from_db()
    assert ev.status == "closed" and ev.handling_seconds is not None
    assert [t.to_status for t in ev.transitions.all()] == ["dispatched", "handled", "closed"]


def test_viewers_cannot_move_events_and_nothing_changes(evs, users, client):
    ev = evs["new"]
    client.force_login(users["a_viewer"])
    r = client.post(f"/v/city/events/{ev.pk}/transition/", {"to": "dispatched"}, **HX)
    assert r["X-Outcome"] == "403" and "operator role" in r.content.decode()
    r = client.post(f"/v/city/events/{ev.pk}/transition/", {"to": "dispatched"})
    assert r.status_code == 302
    ev.refresh_from_db()
    assert ev.status == "new" and not EventTransition.objects.filter(event=ev).exists()
    client.force_login(users["b_dev"])
    assert client.post(f"/v/city/events/{ev.pk}/transition/", {"to": "dispatched"}).status_code == 404
    assert client.get(f"/v/city/events/{ev.pk}/transition/").status_code in (404, 405)
