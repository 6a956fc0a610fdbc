"""The one map's API: layers of the user's organisation, features by bounding box with a
capped limit, a bad bbox answered 400 with the reason, cameras / sensors / events as
points (an event without a position takes its camera's), events filtered by time, and
nothing from a sibling branch."""
from datetime import timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from tests.conftest import as_json
from verticals.city.actions.map import import_osm_layers
from verticals.city.actions.sensors import create_synthetic_sensors
from verticals.city.api.map import MAX_LIMIT
from verticals.city.lib import osm
from verticals.city.models import Camera, Event, MapFeature, MapLayer, SensorReading

pytestmark = pytest.mark.django_db

# A block around Senate Square (Senaatintori) in central Helsinki.
SENATE = (24.950, 60.168, 24.954, 60.171)


@pytest.fixture
def city(orgs, users):
    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("roads", "pois"))
    now = timezone.now()
    cams = {
        "square": Camera.objects.create(organisation=orgs["a"], code="square", name="Senate Square", source="/v/a.avi",
                                        lat=60.1694, lon=24.9522, status=Camera.Status.ONLINE, measured_fps=4.8),
        "nowhere": Camera.objects.create(organisation=orgs["a"], code="nowhere", name="Unplaced", source="/v/b.avi"),
        "b": Camera.objects.create(organisation=orgs["b"], code="b-cam", name="Branch B", source="/v/c.avi",
                                   lat=60.17, lon=24.94),
    }
    events = {
        "own": Event.objects.create(organisation=orgs["a"], camera=cams["square"], kind="zone_entry", title="own pos",
                                    occurred_at=now - timedelta(hours=1), lat=60.1701, lon=24.9510),
        "cam": Event.objects.create(organisation=orgs["a"], camera=cams["square"], kind="muck_uncovered",
                                    title="camera pos", occurred_at=now - timedelta(hours=5), severity=3),
        "old": Event.objects.create(organisation=orgs["a"], camera=cams["square"], kind="loitering", title="old",
                                    occurred_at=now - timedelta(days=3)),
        "unplaced": Event.objects.create(organisation=orgs["a"], camera=cams["nowhere"], kind="count",
                                         title="no position", occurred_at=now - timedelta(hours=2)),
        "b": Event.objects.create(organisation=orgs["b"], camera=cams["b"], kind="zone_entry", title="b's",
                                  occurred_at=now - timedelta(hours=1)),
    }
    return {"cams": cams, "events": events, "now": now}


def test_layers_list_the_users_map(api, users, city):
    body = as_json(api(users["a_viewer"]).get("/api/v1/city/map/layers/"))
    assert body["organisation"] == "plant-a" and "ODbL" in body["attribution"]
    by_name = {layer["name"]: layer for layer in body["layers"]}
    assert set(by_name) == {"roads", "pois"}
    roads = by_name["roads"]
    assert roads["count"] == MapFeature.objects.filter(layer__name="roads").count() and roads["kind"] == "roads"
    assert roads["bbox"] == MapLayer.objects.get(name="roads").bbox and roads["style"]["type"] == "line"
    # Branch B has no map; HQ (which reads both) sees plant A's.
    assert as_json(api(users["b_dev"]).get("/api/v1/city/map/layers/"))["layers"] == []
    assert as_json(api(users["hq_dev"]).get("/api/v1/city/map/layers/"))["organisation"] == "plant-a"
    assert api(users["b_dev"]).get("/api/v1/city/map/layers/?org=plant-a").status_code == 404
    assert api().get("/api/v1/city/map/layers/").status_code in (401, 403)


def test_features_by_bbox_are_exactly_those_that_intersect_it(api, users, city):
    client = api(users["a_viewer"])
    bbox = ",".join(map(str, SENATE))
    body = as_json(client.get(f"/api/v1/city/map/layers/roads/features/?bbox={bbox}"))
    assert body["type"] == "FeatureCollection" and body["truncated"] is False
    expected = {f.pk for f in MapFeature.objects.filter(layer__name="roads") if
                f.min_lon <= SENATE[2] and f.max_lon >= SENATE[0] and f.min_lat <= SENATE[3] and f.max_lat >= SENATE[1]}
    got = {f["id"] for f in body["features"]}
    assert got == expected and 5 < len(got) < MapFeature.objects.filter(layer__name="roads").count() / 4
    assert any(f["properties"]["name"] == "Aleksanterinkatu" for f in body["features"])
    for f in body["features"]:
        lons = [c[0] for c in f["geometry"]["coordinates"]]
        assert min(lons) <= SENATE[2] and max(lons) >= SENATE[0]
    # Outside Helsinki: nothing.
    assert as_json(client.get("/api/v1/city/map/layers/roads/features/?bbox=10,50,11,51"))["features"] == []


def test_limit_truncates_and_is_capped(api, users, city):
    client = api(users["a_viewer"])
    body = as_json(client.get("/api/v1/city/map/layers/pois/features/?limit=25"))
    assert len(body["features"]) == 25 and body["truncated"] is True
    assert as_json(client.get("/api/v1/city/map/layers/pois/features/?limit=999999"))["limit"] == MAX_LIMIT
    body = as_json(client.get("/api/v1/city/map/layers/pois/features/"))
    assert len(body["features"]) == MapLayer.objects.get(name="pois").feature_count and body["truncated"] is False


@pytest.mark.parametrize("query, reason", [
    ("bbox=24.9,60.1,25", "four numbers"),
    ("bbox=east,60.1,25,60.2", "four numbers"),
    ("bbox=25,60.2,24.9,60.1", "minimum"),
    ("bbox=24.9,91,25,92", "latitudes"),
    ("limit=0", "at least 1"),
    ("limit=many", "whole number"),
])
def test_bad_query_is_400_with_the_reason(api, users, city, query, reason):
    response = api(users["a_viewer"]).get(f"/api/v1/city/map/layers/roads/features/?{query}")
    assert response.status_code == 400
    assert reason in as_json(response)["message"]


def test_features_of_another_branch_or_unknown_layer_are_404(api, users, city):
    assert api(users["b_dev"]).get("/api/v1/city/map/layers/roads/features/").status_code == 404
    assert api(users["b_dev"]).get("/api/v1/city/map/layers/roads/features/?org=plant-a").status_code == 404
    response = api(users["a_viewer"]).get("/api/v1/city/map/layers/rails/features/")
    assert response.status_code == 404 and "rails" in as_json(response)["message"]


def test_cameras_and_sensors_are_points_of_the_users_organisations(api, users, orgs, city):
    create_synthetic_sensors(organisation=orgs["a"], acting_user=users["a_dev"], per_kind=1, hours=2,
                             step_minutes=30, now=city["now"])
    cams = as_json(api(users["a_viewer"]).get("/api/v1/city/map/cameras/"))
    assert [f["properties"]["code"] for f in cams["features"]] == ["square"]  # placed, own branch only
    square = cams["features"][0]
    assert square["geometry"]["coordinates"] == [24.9522, 60.1694]
    assert square["properties"]["status"] == "online" and square["properties"]["measured_fps"] == 4.8
    assert [f["properties"]["code"] for f in as_json(api(users["b_dev"]).get("/api/v1/city/map/cameras/"))
            ["features"]] == ["b-cam"]

    sensors = as_json(api(users["a_viewer"]).get("/api/v1/city/map/sensors/"))["features"]
    assert len(sensors) == 4 and all(f["properties"]["synthetic"] for f in sensors)
    for f in sensors:
        s = f["properties"]
        newest = SensorReading.objects.filter(sensor_id=s["id"]).order_by("-observed_at").first()
        assert s["value"] == newest.value and s["observed_at"] == newest.observed_at.isoformat()
    assert as_json(api(users["b_dev"]).get("/api/v1/city/map/sensors/"))["features"] == []


def test_events_in_the_window_with_their_or_their_cameras_position(api, users, city):
    body = as_json(api(users["a_viewer"]).get("/api/v1/city/map/events/"))
    by_title = {f["properties"]["title"]: f for f in body["features"]}
    assert set(by_title) == {"own pos", "camera pos"}  # the old one is outside 24 h; b's is another branch
    assert body["unplaced"] == 1 and body["latest"] is not None
    assert by_title["own pos"]["geometry"]["coordinates"] == [24.9510, 60.1701]
    assert by_title["own pos"]["properties"]["position"] == "event"
    cam = by_title["camera pos"]
    assert cam["geometry"]["coordinates"] == [24.9522, 60.1694] and cam["properties"]["position"] == "camera"
    ev = city["events"]["cam"]
    assert cam["properties"]["url"] == f"/v/city/events/{ev.pk}/" and cam["properties"]["severity"] == 3
    assert cam["properties"]["kind"] == "muck_uncovered" and cam["properties"]["status"] == "new"


def test_events_since_until_filter(api, users, city):
    client = api(users["a_viewer"])
    now = city["now"]

    def titles(**params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        response = client.get(f"/api/v1/city/map/events/?{query}")
        assert response.status_code == 200, response.content
        return sorted(f["properties"]["title"] for f in as_json(response)["features"])

    def iso(d):
        return d.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    assert titles(since=iso(now - timedelta(hours=3))) == ["own pos"]
    assert titles(since=iso(now - timedelta(hours=6)), until=iso(now - timedelta(hours=4))) == ["camera pos"]
    assert titles(since=iso(now - timedelta(days=4)), until=iso(now)) == ["camera pos", "old", "own pos"]
    # An unencoded '+' offset arrives as a space and is still read.
    plus = (now - timedelta(hours=3)).astimezone(dt_timezone(timedelta(hours=2))).isoformat()
    assert titles(since=plus) == ["own pos"]
    for params, field in [({"since": "yesterday"}, "since"), ({"until": "2024-13-40T00:00:00"}, "until"),
                          ({"since": iso(now), "until": iso(now - timedelta(hours=1))}, "since")]:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        response = client.get(f"/api/v1/city/map/events/?{query}")
        assert response.status_code == 400 and field in as_json(response)["errors"]


def test_map_page_and_its_embed_load_only_local_assets(client, users, city):
    import re

    client.force_login(users["a_viewer"])
    for url, marker in [("/v/city/map/", 'class="topbar"'), ("/v/city/map/?embed=1", "city-map-embed")]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert marker in html and 'id="city-map"' in html and 'id="city-time"' in html
        assert "city/vendor/leaflet/leaflet.js" in html and "city/map.js" in html
        assert re.findall(r"""(?:src|href)=["'](?:https?:)?//""", html) == []
        assert '"layers": "/api/v1/city/map/layers/?org=plant-a"' in html
    client.logout()
    assert client.get("/v/city/map/").status_code == 302
