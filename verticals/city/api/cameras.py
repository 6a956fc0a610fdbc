"""/api/v1/city/cameras/: cameras of the organisations the user may read (writes need the
developer role, starting a run the operator role, in the camera's organisation), their
structured records (track id, class, box, time) and their stream runs."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.inference.models import Deployment
from core.platform import access
from core.platform.lib import roles
from core.platform.queueing import publish
from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.fields import OrganisationField, parse_id
from core.platform.rest.pagination import BoundedLimitOffsetPagination
from core.platform.rest.viewsets import OrganisationScopedViewSet, PartialUpdateSerializer

from ..actions.cameras import MAX_FPS, create_camera, update_camera
from ..models import Camera, StreamRun, TrackRecord
from ..queries import datetime_param
from ..queries import scoped_org_ids
from .rules import CameraRulesMixin

MAX_RUN_SECONDS = 3600


def describe_camera(c: Camera) -> dict:
    return {"id": c.pk, "organisation": c.organisation.code, "code": c.code, "name": c.name, "source": c.source,
            "deployment": c.deployment.name if c.deployment_id else None,
            "profile": c.deployment.profile if c.deployment_id else None,
            "analysis_fps": c.analysis_fps, "frame_width": c.frame_width, "lat": c.lat, "lon": c.lon,
            "heading_deg": c.heading_deg, "enabled": c.enabled, "status": c.status,
            "status_message": c.status_message, "status_at": c.status_at, "last_frame_at": c.last_frame_at,
            "measured_fps": c.measured_fps, "frames_analysed": c.frames_analysed, "created_at": c.created_at}


def describe_run(r: StreamRun) -> dict:
    mv = r.model_version
    return {"id": r.pk, "camera": r.camera_id, "started_at": r.started_at, "finished_at": r.finished_at,
            "model_version": ({"id": mv.pk, "model": mv.model.name, "version": mv.version} if mv else None),
            "frames_read": r.frames_read, "frames_analysed": r.frames_analysed, "decode_errors": r.decode_errors,
            "tracks": r.tracks, "events": r.events, "fps": r.fps, "outcome": r.outcome, "message": r.message}


def describe_record(r: TrackRecord) -> dict:
    return {"id": r.pk, "camera": r.camera_id, "run": r.run_id, "track_id": r.track_id, "cls": r.cls,
            "score": r.score, "box": r.box, "frame_index": r.frame_index, "observed_at": r.observed_at,
            "attributes": r.attributes}


class CameraCreateSerializer(serializers.Serializer):
    organisation = OrganisationField()
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=1000, help_text="rtsp://, http(s):// or an absolute file path")
    deployment = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                       help_text="the detector deployment's name in the organisation")
    analysis_fps = serializers.FloatField(required=False, default=5.0, help_text=f"in (0, {MAX_FPS:g}]")
    frame_width = serializers.IntegerField(required=False, default=640)
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lon = serializers.FloatField(required=False, allow_null=True, default=None)
    heading_deg = serializers.FloatField(required=False, allow_null=True, default=None)
    enabled = serializers.BooleanField(required=False, default=True)


class CameraUpdateSerializer(PartialUpdateSerializer):
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=1000)
    deployment = serializers.CharField(max_length=100, allow_blank=True)
    analysis_fps = serializers.FloatField()
    frame_width = serializers.IntegerField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    heading_deg = serializers.FloatField(allow_null=True)
    enabled = serializers.BooleanField()


class RunSerializer(serializers.Serializer):
    seconds = serializers.FloatField(required=False, default=60.0, min_value=1, max_value=MAX_RUN_SECONDS)


def _deployment(org, name):
    if not name:
        return None
    dep = Deployment.objects.filter(organisation=org, name=name).select_related("model_version").first()
    if dep is None:
        raise FieldErrors({"deployment": [f"no deployment {name!r} in {org}"]})
    return dep


ORG_PARAM = OpenApiParameter("org", str, description="organisation code: only its subtree")
RECORD_FILTERS = [OpenApiParameter("track", int), OpenApiParameter("cls", str), OpenApiParameter("run", int),
                  OpenApiParameter("since", OpenApiTypes.DATETIME), OpenApiParameter("until", OpenApiTypes.DATETIME),
                  OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class CameraViewSet(CameraRulesMixin, OrganisationScopedViewSet):
    """Cameras; their rules are served by rules.CameraRulesMixin."""

    queryset = Camera.objects.select_related("organisation", "deployment")
    lookup_value_regex = "[0-9]+"

    @extend_schema(operation_id="city_cameras_list",
                   parameters=[ORG_PARAM, OpenApiParameter("status", str, description="a camera status")],
                   responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Cameras with their status, measured rate, last frame time and message."""
        qs = self.get_queryset().filter(organisation_id__in=scoped_org_ids(request.user, request.query_params.get("org")))
        status = request.query_params.get("status")
        if status:
            if status not in Camera.Status.values:
                raise FieldErrors({"status": [f"status must be one of {', '.join(Camera.Status.values)}"]})
            qs = qs.filter(status=status)
        return Response({"results": [describe_camera(c) for c in qs]})

    @extend_schema(request=CameraCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def create(self, request):
        """Add a camera: a stream URL (rtsp, http, https) or a file path on the worker, and the
        detector deployment its frames go through."""
        ser = CameraCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["deployment"] = _deployment(d["organisation"], d["deployment"])
        camera = create_camera(acting_user=request.user, **d)
        return Response(describe_camera(camera), status=201)

    @extend_schema(operation_id="city_camera_retrieve", responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        camera = self.get_object()
        out = describe_camera(camera)
        last = camera.runs.select_related("model_version__model").first()
        out["last_run"] = describe_run(last) if last else None
        return Response(out)

    @extend_schema(request=CameraUpdateSerializer, responses=OpenApiTypes.OBJECT)
    def partial_update(self, request, pk=None):
        """Change the name, source, detector, rate, frame width, position or enabled."""
        camera = self.get_object()
        ser = CameraUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        if "deployment" in d:
            d["deployment"] = _deployment(camera.organisation, d["deployment"])
        return Response(describe_camera(update_camera(camera, acting_user=request.user, **d)))

    @extend_schema(request=RunSerializer, responses={202: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):
        """Queue a run of the structuring pipeline on this camera (Celery queue "city") for at
        most `seconds`. The camera's status and runs show how it went."""
        camera = self.get_object()
        if not access.can(request.user, roles.PREDICT, camera.organisation):
            raise PermissionError(f"you may not run cameras in {camera.organisation}")
        ser = RunSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if not camera.enabled:
            raise FieldErrors({"camera": [f"camera {camera.code!r} is disabled"]})
        if camera.deployment_id is None:
            raise FieldErrors({"deployment": [f"camera {camera.code!r} has no detector deployment"]})
        seconds = ser.validated_data["seconds"]
        args = [camera.pk, seconds, request.user.pk]
        # Nothing is written before this: a broker that is down costs a bounded wait and a 503.
        publish("city.run_camera", args=args, queue="city")
        return Response({"camera": camera.pk, "queued": True, "seconds": seconds, "queue": "city"}, status=202)

    @extend_schema(parameters=RECORD_FILTERS, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], pagination_class=BoundedLimitOffsetPagination)
    def records(self, request, pk=None):
        """Structured records (one tracked object in one analysed frame), oldest first,
        paginated (limit/offset). track= and run= together follow one object."""
        camera = self.get_object()
        qs = TrackRecord.objects.filter(camera=camera)
        for name in ("track", "run"):
            raw = request.query_params.get(name)
            if raw:
                if (number := parse_id(raw)) is None:
                    raise FieldErrors({name: [f"{name} must be a whole number"]})
                qs = qs.filter(**{"track_id" if name == "track" else "run_id": number})
        cls = request.query_params.get("cls")
        if cls:
            qs = qs.filter(cls=cls)
        p = request.query_params
        since, until = datetime_param(p.get("since"), "since"), datetime_param(p.get("until"), "until")
        if since and until and since > until:
            raise FieldErrors({"since": ["since is after until"]})
        if since:
            qs = qs.filter(observed_at__gte=since)
        if until:
            qs = qs.filter(observed_at__lte=until)
        page = self.paginate_queryset(qs.order_by("observed_at", "track_id", "id"))
        return self.get_paginated_response([describe_record(r) for r in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], pagination_class=BoundedLimitOffsetPagination)
    def runs(self, request, pk=None):
        """The camera's stream runs, newest first: frames, rate, tracks, events, outcome and the
        model version that analysed them."""
        page = self.paginate_queryset(self.get_object().runs.select_related("model_version__model"))
        return self.get_paginated_response([describe_run(r) for r in page])
