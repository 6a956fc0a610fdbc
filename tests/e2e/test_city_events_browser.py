"""An operator in Debian's Chromium opens an event: the evidence JPEG loads with its boxes
drawn over it, the false-alarm close cannot be sent without a reason, and dispatching
through the HTMX form updates the status badges and the history without a page load."""
from urllib.parse import urlparse

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_dispatches_an_event_from_its_page(live_server, page, screenshot, orgs, users):
    from verticals.city.actions.events import record_event
    from verticals.city.lib.rules import Hit
    from verticals.city.models import Camera, Event

    cam = Camera.objects.create(organisation=orgs["a"], code="gate", name="North gate", source="/v.avi")
    frame = np.full((360, 640, 3), 60, np.uint8)
    frame[150:230, 200:360] = (40, 90, 160)
    ev = record_event(camera=cam, hit=Hit(rule_id=None, kind="muck_uncovered", track_id=5,
                                          cls="muck_truck_uncovered", title="Uncovered load at the gate"),
                      frame_bgr=frame, boxes=[{"track_id": 5, "cls": "muck_truck_uncovered", "box": [200, 150, 360, 230]}],
                      occurred_at=timezone.now())
    path = reverse("city:event", args=[ev.pk])
    page.goto(live_server.url + path)
    page.fill("#id_username", "a_operator")
    page.fill("#id_password", "pw-a_operator")
    page.click("#sign-in")
    page.wait_for_url(live_server.url + path)

    page.wait_for_function("() => { const i = document.querySelector('#evidence-svg image');"
                           " return i && i.getBBox().width > 0; }")
    assert page.locator("#evidence-svg g.evidence-box.hit rect").count() == 1
    loaded = page.evaluate("""() => new Promise(ok => { const img = new Image();
        img.onload = () => ok([img.naturalWidth, img.naturalHeight]); img.onerror = () => ok(null);
        img.src = document.querySelector('#evidence-svg image').getAttribute('href'); })""")
    assert loaded == [640, 360]

    # the false-alarm close needs a reason: the browser refuses to send it empty
    page.click("form[data-to=closed] button[type=submit]")
    assert page.evaluate("() => document.querySelector('form[data-to=closed] input[name=note]').validity.valueMissing")
    assert Event.objects.get(pk=ev.pk).status == "new"

    page.evaluate("() => { window.notReloaded = true; }")
    page.fill("form[data-to=dispatched] input[name=assignee]", "patrol 9")
    page.click("form[data-to=dispatched] button[type=submit]")
    page.wait_for_selector("#event-status[data-status=dispatched]")
    assert page.evaluate("() => window.notReloaded") is True  # swapped in place, no page load
    assert page.text_content("#assignee").strip() == "patrol 9"
    assert page.locator("#transitions tr[data-to=dispatched]").count() == 1
    assert page.locator("form[data-to=handled]").count() == 1
    assert page.errors == []
    assert all(urlparse(u).hostname in ("localhost", "127.0.0.1") for u in page.requests if u.startswith("http"))
    screenshot("city-event-dispatched")
    ev.refresh_from_db()
    assert ev.status == "dispatched" and ev.assignee == "patrol 9" and ev.response_seconds is not None
