"""/api/v1/city/events/: the events the rules raised in the organisations the user may
read, their evidence frame, statistics, and the workflow (operators move an event along
new -> dispatched -> handled -> closed; an illegal step is a 409 with the reason)."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import json_error
from core.api.exceptions import FieldErrors
from core.platform import access
from core.platform.lib import roles

from .. import queries
from ..actions.events import TransitionRefused, transition_event
from ..lib import workflow
from ..models import Event

MAX_LIST = 500


def visible_events(user):
    return Event.objects.filter(organisation_id__in=access.org_ids_with(user, roles.READ)).select_related(
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


def _when(value, field):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise FieldErrors({field: [f"{value!r} is not an ISO 8601 date-time"]}, f"{field}: not a date-time")
    return parsed


class EventList(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        qs = visible_events(request.user)
        p = request.query_params
        if p.get("status"):
            if p["status"] not in workflow.STATUSES:
                raise FieldErrors({"status": [f"one of {', '.join(workflow.STATUSES)}"]}, "status: unknown")
            qs = qs.filter(status=p["status"])
        if p.get("kind"):
            qs = qs.filter(kind=p["kind"])
        if p.get("camera"):
            qs = qs.filter(camera__code=p["camera"])
        since, until = _when(p.get("since"), "since"), _when(p.get("until"), "until")
        if since:
            qs = qs.filter(occurred_at__gte=since)
        if until:
            qs = qs.filter(occurred_at__lte=until)
        total = qs.count()
        return Response({"count": total, "results": [describe_event(e) for e in qs[:MAX_LIST]],
                         "truncated": total > MAX_LIST})


class EventDetail(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
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
    def get(self, request, event_id):
        from core.hub.storage import get_storage

        event = get_object_or_404(visible_events(request.user), pk=event_id)
        if not event.evidence_id:
            return Response(json_error("this event has no evidence frame", 404), status=404)
        with get_storage().open(event.evidence_id) as fh:
            return HttpResponse(fh.read(), content_type="image/jpeg")


class EventStats(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        try:
            hours = int(request.query_params.get("hours", 24))
        except ValueError:
            hours = 0
        if not 1 <= hours <= 24 * 31:
            raise FieldErrors({"hours": ["1 .. 744"]}, "hours: outside 1..744")
        return Response(queries.event_stats(request.user, hours=hours))
