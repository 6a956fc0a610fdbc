"""An operator in Debian's Chromium opens the one map: the Helsinki roads are drawn as SVG
paths from the vendored Leaflet with no tile server, the layer control hides and shows a
layer, cameras/sensors/events sit on the map with popups, the time slider hides an event
outside its window, and no request leaves the machine."""
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.e2e.conftest import remote_requests
from verticals.city.models import Event, MapLayer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def sign_in(page, base_url, username, password, path):
    page.goto(base_url + path)
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_url(base_url + path)


@pytest.fixture
def city(orgs, users):
    from verticals.city.actions.map import import_osm_layers
    from verticals.city.actions.sensors import create_synthetic_sensors
    from verticals.city.lib import osm
    from verticals.city.models import Camera

    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"])
    create_synthetic_sensors(organisation=orgs["a"], acting_user=users["a_dev"], per_kind=1, hours=3, step_minutes=30)
    now = timezone.now()
    cam = Camera.objects.create(organisation=orgs["a"], code="senate", name="Senate Square", source="/v/a.avi",
                                lat=60.1694, lon=24.9522, status=Camera.Status.ONLINE, measured_fps=4.9)
    recent = Event.objects.create(organisation=orgs["a"], camera=cam, kind="muck_uncovered", title="Uncovered load",
                                  occurred_at=now - timedelta(hours=1), severity=3)
    older = Event.objects.create(organisation=orgs["a"], camera=cam, kind="zone_entry", title="Zone entry at dawn",
                                 occurred_at=now - timedelta(hours=20), lat=60.1712, lon=24.9460)
    return {"recent": recent, "older": older, "camera": cam}


def count(page, selector):
    return page.evaluate("(s) => document.querySelectorAll(s).length", selector)


def test_map_draws_osm_layers_filters_events_by_time_and_stays_local(live_server, page, screenshot, city):
    sign_in(page, live_server.url, "a_operator", "pw-a_operator", reverse("city:map"))
    page.wait_for_selector("#city-map[data-rendered=true]")
    assert page.errors == []
    # Vector layers only: SVG paths per road, building and POI; no tile images at all.
    roads = count(page, "#city-map svg path.city-layer-roads")
    assert roads > 1000
    assert count(page, "#city-map svg path.city-layer-buildings") > 300
    assert count(page, "#city-map svg path.city-layer-pois") > 1000
    assert count(page, "#city-map img.leaflet-tile") == 0
    # Fitted to the roads layer: the view holds its bbox and is not much larger.
    roads_bbox = MapLayer.objects.get(name="roads").bbox
    view = [float(v) for v in page.evaluate("() => cityMap.map.getBounds().toBBoxString()").split(",")]
    assert view[0] <= roads_bbox[0] and view[1] <= roads_bbox[1] and view[2] >= roads_bbox[2]
    assert view[3] >= roads_bbox[3] and (view[3] - view[1]) < 3 * (roads_bbox[3] - roads_bbox[1])
    assert count(page, "#city-map path.city-camera-online") == 1
    assert count(page, "#city-map path.city-sensor") == 4
    screenshot("city-map")

    # The layer control hides and shows the roads.
    roads_box = page.locator(".leaflet-control-layers-overlays label", has_text="Roads").locator("input")
    roads_box.uncheck()
    assert count(page, "#city-map svg path.city-layer-roads") == 0
    roads_box.check()
    assert count(page, "#city-map svg path.city-layer-roads") == roads

    # Both events are within the last 24 h: both shown, live.
    assert page.get_attribute("#city-map", "data-events-shown") == "2"
    assert page.get_attribute("#city-live", "data-live") == "true"
    # Slide back to about 10 h ago: the newer event is outside the window and disappears.
    page.eval_on_selector("#city-time", "(el) => { el.value = '583'; el.dispatchEvent(new Event('input')); }")
    assert page.get_attribute("#city-map", "data-events-shown") == "1"
    assert page.get_attribute("#city-live", "data-live") == "false"
    # The remaining marker is the older event; its popup links to the event page.
    page.click("#city-map path.city-event")
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert "Zone entry at dawn" in popup.inner_text()
    assert popup.query_selector("a").get_attribute("href").endswith(f"/v/city/events/{city['older'].pk}/")
    # A narrow window (last 1 h before the cut-off) hides the older event too.
    page.select_option("#city-time-width", "1")
    assert page.get_attribute("#city-map", "data-events-shown") == "0"
    page.select_option("#city-time-width", "0")
    page.eval_on_selector("#city-time", "(el) => { el.value = '1000'; el.dispatchEvent(new Event('input')); }")
    assert page.get_attribute("#city-map", "data-events-shown") == "2"

    # Live: a new event appears at the next poll without a reload.
    Event.objects.create(organisation=city["camera"].organisation, camera=city["camera"], kind="loitering",
                         title="Just now", occurred_at=timezone.now(), lat=60.1680, lon=24.9440)
    page.wait_for_function("() => document.getElementById('city-map').getAttribute('data-events-shown') === '3'",
                           timeout=25000)
    assert page.errors == []
    assert remote_requests(page) == [], f"requests left the machine: {remote_requests(page)}"


def test_dashboard_embed_draws_the_same_map(live_server, page, city):
    sign_in(page, live_server.url, "a_operator", "pw-a_operator", reverse("city:map") + "?embed=1")
    page.wait_for_selector("#city-map[data-rendered=true]")
    assert count(page, "#city-map svg path.city-layer-roads") > 1000
    assert count(page, ".topbar") == 0
    assert page.errors == [] and remote_requests(page) == []


def test_dashboard_draws_the_map_in_page(live_server, page, city):
    # The dashboard used to frame the map page, which X-Frame-Options: DENY left blank.
    sign_in(page, live_server.url, "a_operator", "pw-a_operator", reverse("city:dashboard"))
    page.wait_for_selector("#panel-map #city-map[data-rendered=true]")
    assert count(page, "iframe") == 0
    assert count(page, "#panel-map svg path.city-layer-roads") > 1000
    assert count(page, "#panel-map path.city-camera-online") == 1
    assert count(page, "#panel-map path.city-event") == 2
    assert page.evaluate("() => document.getElementById('city-map').getBoundingClientRect().height") >= 300
    assert page.errors == [] and remote_requests(page) == []
