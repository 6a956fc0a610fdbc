"""Map writes: importing an OpenStreetMap extract as the organisation's map layers."""
import time

from django.core.exceptions import ValidationError
from django.db import transaction

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..lib import osm
from ..models import MapFeature, MapLayer

BATCH = 2000


def import_osm_layers(path, *, organisation, acting_user, layers=osm.LAYERS):
    """Reads `layers` of the .osm.pbf at `path` and stores them as the organisation's map
    layers of the same names, replacing what was there. All or nothing: a file that cannot
    be read, or any failure while writing, leaves the previous layers untouched. Returns the
    layers in the order asked; each carries `import_seconds` (read + write)."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not change the map layers of {organisation}")
    layers = tuple(layers)
    try:
        # Reading happens before the transaction: a slow parse holds no lock.
        checked = osm.check_pbf(path)
        data = osm.read_layers(checked, layers)
    except osm.OsmError as exc:
        raise ValidationError({"path": str(exc)}) from None
    digest = osm.sha256_file(checked)
    source = f"{checked.name} ({osm.LICENCE})"[:300]
    written = []
    with transaction.atomic():
        for name in layers:
            started = time.perf_counter()
            layer_data = data[name]
            replaced = MapLayer.objects.filter(organisation=organisation, name=name).first()
            if replaced is not None:
                replaced.features.all().delete()
                replaced.delete()
            layer = MapLayer.objects.create(
                organisation=organisation, name=name, title=layer_data.title, kind=name, source=source,
                source_sha256=digest, feature_count=len(layer_data.features), bbox=layer_data.bbox,
                style=layer_data.style, created_by=acting_user if acting_user and acting_user.is_authenticated
                else None)
            MapFeature.objects.bulk_create((_feature_row(layer, f) for f in layer_data.features), batch_size=BATCH)
            layer.import_seconds = round(layer_data.seconds + time.perf_counter() - started, 3)
            record("city.map.import_layer", acting_user=acting_user, organisation=organisation, obj=layer,
                   data={"name": name, "path": str(checked), "sha256": digest, "features": layer.feature_count,
                         "bbox": layer.bbox, "licence": osm.LICENCE, "replaced": replaced is not None})
            written.append(layer)
    return written


def _feature_row(layer, feature):
    props = feature["properties"]
    min_lon, min_lat, max_lon, max_lat = feature["bbox"]
    return MapFeature(layer=layer, osm_id=props.get("osm_id"), name=(props.get("name") or "")[:300],
                      category=(props.get("category") or "")[:100], geometry=feature["geometry"],
                      properties=props, min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)
