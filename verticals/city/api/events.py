"""/api/v1/city/events/: the events the rules raised in the organisations the user may
read, their evidence frame, statistics, and the workflow (operators move an event along
new -> dispatched -> handled -> closed; an illegal step is a 409 with the reason)."""
from datetime import timedelta
from statistics import mean, median

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import json_error
from core.platform import access
from core.platform.lib import roles
from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.fields import query_int
from core.platform.rest.pagination import MAX_OFFSET
from core.platform.rest.viewsets import OrganisationScopedViewSet

from .. import queries
from ..actions.events import TransitionRefused, transition_event
from ..lib import workflow
from ..models import Event

MAX_LIST = 500


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


EVENT_FILTERS = [OpenApiParameter("status", str, description="new, dispatched, handled or closed"),
                 OpenApiParameter("kind", str, description="a rule kind"),
                 OpenApiParameter("camera", str, description="camera code or id"),
                 OpenApiParameter("since", str, description="ISO 8601, occurred at or after"),
                 OpenApiParameter("until", str, description="ISO 8601, occurred at or before"),
                 OpenApiParameter("limit", int, description=f"1..{MAX_LIST}, default 100"),
                 OpenApiParameter("offset", int)]


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



class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=workflow.STATUSES)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    assignee = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class EventViewSet(OrganisationScopedViewSet):
    queryset = Event.objects.select_related("camera", "organisation")
    lookup_value_regex = "[0-9]+"

    @extend_schema(operation_id="city_events_list", parameters=EVENT_FILTERS, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Events newest first, filtered; `count` is the total before limit/offset."""
        qs = queries.filter_events(self.get_queryset(), request.query_params)
        limit, offset = _limit_offset(request.query_params)
        total = qs.count()
        return Response({"count": total, "limit": limit, "offset": offset,
                         "results": [describe_event(e) for e in qs[offset:offset + limit]],
                         "truncated": offset + limit < total})

    @extend_schema(operation_id="city_event_retrieve", responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        return Response(describe_event(self.get_object(), transitions=True))

    @extend_schema(request=TransitionSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        event = self.get_object()
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

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: OpenApiTypes.OBJECT})
    def evidence(self, request, pk=None):
        """The evidence frame as it was seen (routed by urls.py: evidence.jpg has no slash)."""
        from core.hub.storage import get_storage

        event = self.get_object()
        if not event.evidence_id:
            return Response(json_error("this event has no evidence frame", 404), status=404)
        with get_storage().open(event.evidence_id) as fh:
            response = HttpResponse(fh.read(), content_type="image/jpeg")
        # named by its SHA-256, so it never changes: the browser may keep it
        response["Cache-Control"] = "private, max-age=86400, immutable"
        response["ETag"] = f'"{event.evidence_id}"'
        return response

    @extend_schema(operation_id="city_event_stats",
                   parameters=[OpenApiParameter("hours", int, description="the window, 1..744 (default 24)")],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Over the last `hours`: counts by kind, per kind by hour (chart), by hour of the
        local day, open events, mean and median response and handling seconds."""
        hours = query_int(request, "hours", default=24, minimum=1, maximum=24 * 31)
        now = timezone.now()
        out = queries.event_stats(request.user, hours=hours, now=now)
        window = self.get_queryset().filter(occurred_at__gte=now - timedelta(hours=hours), occurred_at__lte=now)
        out.update(time_stats(window))
        return Response(out)
