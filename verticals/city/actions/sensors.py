"""Sensor writes for the demo map: SYNTHETIC air-quality, noise, water-level and traffic
sensors placed at real places of the imported map, with generated readings. Their codes
start with "syn-" and their names with "Synthetic" so they are never taken for real data."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..lib.synth import sensors as sensor_synth
from ..models import MapFeature, MapLayer, Sensor, SensorReading

SYNTHETIC_PREFIX = "syn-"
MAX_READINGS = 200_000


def _candidates(organisation, layer_name, categories):
    layer = MapLayer.objects.filter(organisation=organisation, name=layer_name).first()
    if layer is None:
        return None
    rows = MapFeature.objects.filter(layer=layer).values("osm_id", "name", "category", "geometry")
    # Only the matching categories plus named fallbacks are needed; keep the query small.
    return [r for r in rows.iterator() if r["category"] in categories or r["name"]]


def create_synthetic_sensors(*, organisation, acting_user, per_kind=2, hours=24, step_minutes=10, now=None,
                             seed=0, kinds=tuple(sensor_synth.KINDS)):
    """Places `per_kind` synthetic sensors of each kind on the organisation's imported map
    (roads and POIs layers) and fills `hours` of readings every `step_minutes` up to `now`.
    Replaces the organisation's earlier synthetic sensors; real sensors are left alone.
    Returns the sensors."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not create sensors in {organisation}")
    unknown = [k for k in kinds if k not in sensor_synth.KINDS]
    if unknown:
        raise ValidationError({"kinds": f"unknown sensor kind(s) {', '.join(unknown)}; kinds: "
                                        f"{', '.join(sensor_synth.KINDS)}"})
    if not 1 <= int(per_kind) <= 50:
        raise ValidationError({"per_kind": "between 1 and 50 sensors per kind"})
    if not 0 < float(hours) <= 24 * 31 or not 1 <= int(step_minutes) <= 24 * 60:
        raise ValidationError({"hours": "hours must be in (0, 744] and step_minutes in [1, 1440]"})
    steps = int(hours * 60 // step_minutes) + 1
    if steps * per_kind * len(kinds) > MAX_READINGS:
        raise ValidationError({"hours": f"that would make more than {MAX_READINGS} readings"})
    now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    start = now - timedelta(hours=hours)
    plan = []
    for kind in kinds:
        layer_name, categories = sensor_synth.PLACEMENT[kind]
        features = _candidates(organisation, layer_name, categories)
        if not features:
            raise ValidationError({"map": f"{organisation} has no {layer_name} map layer with features: "
                                          "import an OSM extract first (city_import_osm)"})
        for i, (lon, lat, place, osm_id) in enumerate(sensor_synth.pick_sites(kind, features, per_kind), 1):
            plan.append((kind, i, lon, lat, place, osm_id))
    with transaction.atomic():
        _total, counts = Sensor.objects.filter(organisation=organisation,
                                               code__startswith=SYNTHETIC_PREFIX).delete()
        removed = counts.get(Sensor._meta.label, 0)
        sensors = []
        for kind, i, lon, lat, place, osm_id in plan:
            meta = sensor_synth.KINDS[kind]
            code = f"{SYNTHETIC_PREFIX}{kind.replace('_', '-')}-{i}"
            name = _("Synthetic %(label)s sensor at %(place)s") % {"label": meta["label"],
                                                                   "place": place or f"OSM {osm_id}"}
            sensor = Sensor.objects.create(organisation=organisation, code=code, name=name[:200], kind=kind,
                                           unit=meta["unit"], lat=lat, lon=lon)
            SensorReading.objects.bulk_create(
                [SensorReading(sensor=sensor, value=v, observed_at=at) for at, v in
                 sensor_synth.series(kind, code, start, now, timedelta(minutes=step_minutes), seed=seed)],
                batch_size=2000)
            sensors.append(sensor)
        record("city.sensors.synthetic", acting_user=acting_user, organisation=organisation,
               obj=organisation,
               data={"sensors": len(sensors), "replaced": removed, "hours": hours, "step_minutes": step_minutes,
                     "seed": seed, "synthetic": True, "codes": [s.code for s in sensors]})
    return sensors


def extend_synthetic_readings(*, organisation, now=None, step_minutes=10, seed=0, max_gap_hours=24):
    """Continues every synthetic sensor's series from its last reading up to `now` (at most
    `max_gap_hours` back), so the live map shows current values. Returns readings added.
    Meant for a periodic task; real sensors are never touched."""
    now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    step = timedelta(minutes=step_minutes)
    added = []
    for sensor in Sensor.objects.filter(organisation=organisation, code__startswith=SYNTHETIC_PREFIX):
        last = sensor.readings.order_by("-observed_at").values_list("observed_at", flat=True).first()
        start = max(last + step if last else now, now - timedelta(hours=max_gap_hours))
        if start > now:
            continue
        # The seed is mixed with the start so an extension does not replay the first series' noise.
        added += [SensorReading(sensor=sensor, value=v, observed_at=at) for at, v in
                  sensor_synth.series(sensor.kind, f"{sensor.code}@{start.isoformat()}", timezone.localtime(start),
                                      now, step, seed=seed)]
    with transaction.atomic():
        SensorReading.objects.bulk_create(added, batch_size=2000)
    return len(added)
