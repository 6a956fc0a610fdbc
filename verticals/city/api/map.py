"""The one map's read API (mounted under /api/v1/city/map/): the base layers imported from
OpenStreetMap, fetched by bounding box; cameras, sensors and events as GeoJSON points.
Everything is limited to the organisations the user may read."""

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.viewsets import OrganisationScopedViewSet

from ..lib import osm
from ..models import Camera, Event, MapFeature, MapLayer, Rule, Sensor, SensorReading
from ..queries import datetime_param
from ..queries import EVENT_WINDOW, map_organisation, scoped_org_ids
from ..views.labels import event_title, layer_title

DEFAULT_LIMIT = 5000
MAX_LIMIT = 20000
MAX_EVENTS = 2000


def _int_param(request, name, default, cap):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FieldErrors({name: [f"{name} must be a whole number"]}) from None
    if value < 1:
        raise FieldErrors({name: [f"{name} must be at least 1"]})
    return min(value, cap)


def _link(name, pk, fallback):
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback


def _point(lon, lat, properties, fid):
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


ORG_PARAM = OpenApiParameter("org", str, description="organisation code (default: the user's map)")


class LayerViewSet(OrganisationScopedViewSet):
    """One organisation's base layers (map_organisation: whose map the user sees)."""

    queryset = MapLayer.objects.all()
    lookup_field = "name"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(parameters=[ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """The base layers of one organisation's map: name, title, kind, feature count,
        bbox and drawing style."""
        org = map_organisation(request.user, request.query_params.get("org"))
        layers = MapLayer.objects.filter(organisation=org) if org else MapLayer.objects.none()
        rows = [{"name": layer.name, "title": layer_title(layer), "kind": layer.kind, "count": layer.feature_count,
                 "bbox": layer.bbox, "style": layer.style, "source": layer.source,
                 "features_url": reverse("api:city-map-layer-features", args=[layer.name]) + f"?org={org.code}"}
                for layer in layers]
        return Response({"organisation": org.code if org else None, "attribution": osm.LICENCE,
                         "bbox": osm.union_bbox(r["bbox"] for r in rows), "layers": rows})

    @extend_schema(parameters=[
        ORG_PARAM,
        OpenApiParameter("bbox", str, description="min_lon,min_lat,max_lon,max_lat (WGS84); features that "
                                                  "intersect it"),
        OpenApiParameter("limit", int, description=f"at most this many features (default {DEFAULT_LIMIT}, "
                                                   f"capped at {MAX_LIMIT})"),
    ], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def features(self, request, name=None):
        """A GeoJSON FeatureCollection of the layer's features inside the bbox; `truncated`
        says the limit cut it short."""
        org = map_organisation(request.user, request.query_params.get("org"))
        layer = MapLayer.objects.filter(organisation=org, name=name).first() if org else None
        if layer is None:
            raise Http404(f"no map layer named {name!r}")
        limit = _int_param(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        features = MapFeature.objects.filter(layer=layer)
        bbox = request.query_params.get("bbox")
        if bbox not in (None, ""):
            try:
                min_lon, min_lat, max_lon, max_lat = osm.parse_bbox(bbox)
            except osm.OsmError as exc:
                raise FieldErrors({"bbox": [str(exc)]}) from None
            features = features.filter(min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat,
                                       max_lat__gte=min_lat)
        rows = list(features.order_by("id").values("id", "geometry", "properties")[:limit + 1])
        truncated = len(rows) > limit
        return Response({
            "type": "FeatureCollection", "layer": layer.name, "truncated": truncated, "limit": limit,
            "features": [{"type": "Feature", "id": r["id"], "geometry": r["geometry"], "properties": r["properties"]}
                         for r in rows[:limit]],
        })


class _Points(OrganisationScopedViewSet):
    def narrowed(self):
        """The readable rows, narrowed to ?org='s subtree."""
        return self.get_queryset().filter(
            organisation_id__in=scoped_org_ids(self.request.user, self.request.query_params.get("org")))


class CameraPointViewSet(_Points):
    queryset = Camera.objects.select_related("organisation")

    @extend_schema(operation_id="city_map_cameras", parameters=[ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Cameras with a position, with their status and measured analysis rate."""
        cams = self.narrowed().filter(lat__isnull=False, lon__isnull=False)
        features = [_point(c.lon, c.lat, {
            "id": c.pk, "code": c.code, "name": c.name, "organisation": c.organisation.code,
            "status": c.status, "status_label": str(c.get_status_display()), "status_message": c.status_message,
            "measured_fps": round(c.measured_fps, 2), "analysis_fps": c.analysis_fps, "heading_deg": c.heading_deg,
            "last_frame_at": c.last_frame_at.isoformat() if c.last_frame_at else None,
            "url": _link("city:camera", c.pk, ""),
        }, f"camera-{c.pk}") for c in cams]
        return Response({"type": "FeatureCollection", "features": features})


class SensorPointViewSet(_Points):
    queryset = Sensor.objects.all()

    @extend_schema(operation_id="city_map_sensors", parameters=[ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Sensors with their latest reading."""
        latest = SensorReading.objects.filter(sensor=OuterRef("pk")).order_by("-observed_at", "-id")
        sensors = (self.narrowed()
                   .annotate(value=Subquery(latest.values("value")[:1]),
                             observed_at=Subquery(latest.values("observed_at")[:1])))
        features = [_point(s.lon, s.lat, {
            "id": s.pk, "code": s.code, "name": s.name, "kind": s.kind, "unit": s.unit,
            "value": s.value, "observed_at": s.observed_at.isoformat() if s.observed_at else None,
            "synthetic": s.code.startswith("syn-"),
        }, f"sensor-{s.pk}") for s in sensors]
        return Response({"type": "FeatureCollection", "features": features})


class EventPointViewSet(_Points):
    queryset = Event.objects.all()

    @extend_schema(operation_id="city_map_events", parameters=[
        ORG_PARAM,
        OpenApiParameter("since", str, description="ISO 8601; default 24 h before until"),
        OpenApiParameter("until", str, description="ISO 8601; default now"),
    ], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Events that occurred in [since, until] as points: the event's own position, else
        its camera's. `unplaced` counts the window's events with neither; `latest` is when
        the newest event of all occurred (a page with nothing recent spans back to it)."""
        now = timezone.now()
        until = datetime_param(request.query_params.get("until"), "until") or now
        since = datetime_param(request.query_params.get("since"), "since") or until - EVENT_WINDOW
        if since > until:
            raise FieldErrors({"since": ["since must not be after until"]})
        events = (self.narrowed().filter(occurred_at__gte=since, occurred_at__lte=until)
                  .select_related("camera").order_by("-occurred_at", "-id"))
        placed = events.filter(Q(lat__isnull=False, lon__isnull=False)
                               | Q(camera__lat__isnull=False, camera__lon__isnull=False))
        kinds = dict(Rule.Kind.choices)
        statuses = dict(Event.Status.choices)
        features = []
        for e in placed.select_related("rule")[:MAX_EVENTS]:
            has_own = e.lat is not None and e.lon is not None
            lon, lat = (e.lon, e.lat) if has_own else (e.camera.lon, e.camera.lat)
            features.append(_point(lon, lat, {
                "id": e.pk, "kind": e.kind, "kind_label": str(kinds.get(e.kind, e.kind)), "status": e.status,
                "status_label": str(statuses.get(e.status, e.status)), "severity": e.severity, "title": event_title(e),
                "occurred_at": e.occurred_at.isoformat(), "camera": e.camera.code if e.camera else None,
                "position": "event" if has_own else "camera",
                "url": _link("city:event", e.pk, f"/v/city/events/{e.pk}/"),
            }, f"event-{e.pk}"))
        latest = (self.narrowed().order_by("-occurred_at").values_list("occurred_at", flat=True).first())
        return Response({"type": "FeatureCollection", "since": since.isoformat(), "until": until.isoformat(),
                         "latest": latest.isoformat() if latest else None,
                         "now": now.isoformat(), "truncated": len(features) == MAX_EVENTS and placed.count() > MAX_EVENTS,
                         "unplaced": events.count() - placed.count(), "features": features})
