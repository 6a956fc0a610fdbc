"""/api/v1/city/events/: the events the rules raised in the organisations the user may
read, their evidence frame, statistics, and the workflow (operators move an event along
new -> dispatched -> handled -> closed; an illegal step is a 409 with the reason).
/api/v1/city/cameras/<id>/rules/ and /api/v1/city/rules/<id>/: the rules that raise them
(reading needs the viewer role, writing the developer role in the camera's organisation)."""
from datetime import timedelta
from statistics import mean, median

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import json_error
from core.api.exceptions import FieldErrors
from core.api.fields import parse_id, query_int
from core.api.pagination import MAX_OFFSET
from core.platform import access
from core.platform.lib import roles

from .. import queries
from ..actions.events import TransitionRefused, transition_event
from ..actions.rules import create_rule, delete_rule, update_rule
from ..lib import workflow
from ..models import Camera, Event, Rule
from .params import datetime_param

MAX_LIST = 500


def visible_events(user):
    return access.scope(Event.objects.all(), user).select_related(
        "camera", "organisation")


def describe_event(e: Event, *, transitions=False) -> dict:
    out = {"id": e.pk, "organisation": e.organisation.code, "camera": e.camera.code if e.camera_id else None,
           "rule": e.rule_id, "kind": e.kind, "title": e.title, "severity": e.severity, "track_id": e.track_id,
           "cls": e.cls, "occurred_at": e.occurred_at, "lat": e.lat, "lon": e.lon, "status": e.status,
           "assignee": e.assignee, "dispatched_at": e.dispatched_at, "handled_at": e.handled_at,
           "closed_at": e.closed_at, "response_seconds": e.response_seconds,
           "handling_seconds": e.handling_seconds, "evidence_sha256": e.evidence_id,
           "evidence_boxes": e.evidence_boxes, "details": e.details, "prediction": e.prediction_id}
    if transitions:
        out["transitions"] = [{"from": t.from_status, "to": t.to_status, "note": t.note,
                               "by": t.by.username if t.by_id else None, "at": t.at}
                              for t in e.transitions.select_related("by")]
    return out


def _limit_offset(params):
    try:
        limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
    except ValueError:
        raise FieldErrors({"limit": ["limit and offset must be integers"]}, "limit: not an integer") from None
    if not 1 <= limit <= MAX_LIST or not 0 <= offset <= MAX_OFFSET:
        raise FieldErrors({"limit": [f"limit 1..{MAX_LIST}, offset 0..{MAX_OFFSET}"]},
                          f"limit: 1..{MAX_LIST}, offset 0..{MAX_OFFSET}")
    return limit, offset


def filter_events(qs, params):
    """The list filters (status, kind, camera code or id, since, until), shared with the pages."""
    if params.get("status"):
        if params["status"] not in workflow.STATUSES:
            raise FieldErrors({"status": [f"one of {', '.join(workflow.STATUSES)}"]}, "status: unknown")
        qs = qs.filter(status=params["status"])
    if params.get("kind"):
        if params["kind"] not in Rule.Kind.values:
            raise FieldErrors({"kind": [f"one of {', '.join(Rule.Kind.values)}"]}, "kind: unknown")
        qs = qs.filter(kind=params["kind"])
    if params.get("camera"):
        cam = params["camera"]
        pk = parse_id(cam)
        qs = qs.filter(Q(camera__code=cam) | Q(camera_id=pk) if pk is not None else Q(camera__code=cam))
    since, until = datetime_param(params.get("since"), "since"), datetime_param(params.get("until"), "until")
    if since and until and since > until:
        raise FieldErrors({"until": ["until is before since"]}, "until: before since")
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lte=until)
    return qs


EVENT_FILTERS = [OpenApiParameter("status", str, description="new, dispatched, handled or closed"),
                 OpenApiParameter("kind", str, description="a rule kind"),
                 OpenApiParameter("camera", str, description="camera code or id"),
                 OpenApiParameter("since", str, description="ISO 8601, occurred at or after"),
                 OpenApiParameter("until", str, description="ISO 8601, occurred at or before"),
                 OpenApiParameter("limit", int, description=f"1..{MAX_LIST}, default 100"),
                 OpenApiParameter("offset", int)]


class EventList(APIView):
    @extend_schema(operation_id="city_events_list", parameters=EVENT_FILTERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Events newest first, filtered; `count` is the total before limit/offset."""
        qs = filter_events(visible_events(request.user), request.query_params)
        limit, offset = _limit_offset(request.query_params)
        total = qs.count()
        return Response({"count": total, "limit": limit, "offset": offset,
                         "results": [describe_event(e) for e in qs[offset:offset + limit]],
                         "truncated": offset + limit < total})


class EventDetail(APIView):
    @extend_schema(operation_id="city_event_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, event_id):
        return Response(describe_event(get_object_or_404(visible_events(request.user), pk=event_id),
                                       transitions=True))


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=workflow.STATUSES)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    assignee = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class EventTransitionView(APIView):
    @extend_schema(request=TransitionSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, event_id):
        event = get_object_or_404(visible_events(request.user), pk=event_id)
        if not access.can(request.user, roles.PREDICT, event.organisation):
            raise PermissionError("moving an event along its workflow needs the operator role")
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            event = transition_event(event, ser.validated_data["to"], acting_user=request.user,
                                     note=ser.validated_data["note"], assignee=ser.validated_data["assignee"])
        except TransitionRefused as exc:
            return Response(json_error(str(exc), 409), status=409)
        return Response(describe_event(event, transitions=True))


class EventEvidence(APIView):
    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: OpenApiTypes.OBJECT})
    def get(self, request, event_id):
        from core.hub.storage import get_storage

        event = get_object_or_404(visible_events(request.user), pk=event_id)
        if not event.evidence_id:
            return Response(json_error("this event has no evidence frame", 404), status=404)
        with get_storage().open(event.evidence_id) as fh:
            response = HttpResponse(fh.read(), content_type="image/jpeg")
        # named by its SHA-256, so it never changes: the browser may keep it
        response["Cache-Control"] = "private, max-age=86400, immutable"
        response["ETag"] = f'"{event.evidence_id}"'
        return response


def time_stats(events):
    """Counts by hour of the local day (0..23) and mean / median response and handling
    seconds of `events` (a queryset)."""
    by_hour = [0] * 24
    for at in events.values_list("occurred_at", flat=True):
        by_hour[timezone.localtime(at).hour] += 1
    response = list(events.exclude(response_seconds=None).values_list("response_seconds", flat=True))
    handling = list(events.exclude(handling_seconds=None).values_list("handling_seconds", flat=True))
    return {"by_hour_of_day": by_hour,
            "response_mean_s": round(mean(response), 1) if response else None,
            "response_median_s": round(median(response), 1) if response else None,
            "handling_mean_s": round(mean(handling), 1) if handling else None,
            "handling_median_s": round(median(handling), 1) if handling else None}


class EventStats(APIView):
    @extend_schema(operation_id="city_event_stats",
                   parameters=[OpenApiParameter("hours", int, description="the window, 1..744 (default 24)")],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Over the last `hours`: counts by kind, per kind by hour (chart), by hour of the
        local day, open events, mean and median response and handling seconds."""
        hours = query_int(request, "hours", default=24, minimum=1, maximum=24 * 31)
        now = timezone.now()
        out = queries.event_stats(request.user, hours=hours, now=now)
        window = visible_events(request.user).filter(occurred_at__gte=now - timedelta(hours=hours),
                                                     occurred_at__lte=now)
        out.update(time_stats(window))
        return Response(out)


# -- rules -----------------------------------------------------------------------------------

def describe_rule(r: Rule) -> dict:
    return {"id": r.pk, "camera": r.camera_id, "name": r.name, "kind": r.kind, "geometry": r.geometry,
            "params": r.params, "severity": r.severity, "enabled": r.enabled, "created_at": r.created_at}


def _visible_rules(user):
    return access.scope(Rule.objects.all(), user, field="camera__organisation").select_related(
        "camera__organisation")


class RuleSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Rule.Kind.choices)
    geometry = serializers.JSONField(required=False, default=list,
                                     help_text="polygon [[x, y], ...], line [[x1, y1], [x2, y2]] or route polyline")
    params = serializers.JSONField(required=False, default=dict,
                                   help_text="classes, hours, weekdays and the kind's own settings")
    severity = serializers.IntegerField(required=False, default=2, min_value=1, max_value=4)
    enabled = serializers.BooleanField(required=False, default=True)


class RuleUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Rule.Kind.choices, required=False)
    geometry = serializers.JSONField(required=False)
    params = serializers.JSONField(required=False)
    severity = serializers.IntegerField(required=False, min_value=1, max_value=4)
    enabled = serializers.BooleanField(required=False)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: [f"cannot change {', '.join(unknown)}; changeable: "
                                                            f"{', '.join(self.fields)}"]})
        if not attrs:
            raise serializers.ValidationError(f"send at least one of {', '.join(self.fields)}")
        return attrs


class CameraRules(APIView):
    @extend_schema(operation_id="city_camera_rules_list", responses=OpenApiTypes.OBJECT)
    def get(self, request, camera_id):
        camera = get_object_or_404(access.scope(Camera.objects.all(), request.user), pk=camera_id)
        return Response({"results": [describe_rule(r) for r in camera.rules.all()]})

    @extend_schema(request=RuleSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, camera_id):
        """Add a rule; geometry and params are checked for its kind (400 names the field)."""
        camera = get_object_or_404(access.scope(Camera.objects.all(), request.user).select_related("organisation"),
            pk=camera_id)
        ser = RuleSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rule = create_rule(camera=camera, acting_user=request.user, **ser.validated_data)
        return Response(describe_rule(rule), status=201)


class RuleDetail(APIView):
    @extend_schema(operation_id="city_rule_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, rule_id):
        return Response(describe_rule(get_object_or_404(_visible_rules(request.user), pk=rule_id)))

    @extend_schema(request=RuleUpdateSerializer, responses=OpenApiTypes.OBJECT)
    def patch(self, request, rule_id):
        """Change a rule; it is checked again as a whole."""
        rule = get_object_or_404(_visible_rules(request.user), pk=rule_id)
        ser = RuleUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(describe_rule(update_rule(rule, acting_user=request.user, **ser.validated_data)))

    @extend_schema(responses={204: None})
    def delete(self, request, rule_id):
        """Remove a rule; the events it raised stay."""
        delete_rule(get_object_or_404(_visible_rules(request.user), pk=rule_id), acting_user=request.user)
        return Response(status=204)
