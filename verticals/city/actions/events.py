"""Events: recorded when a rule fires (with the evidence frame, content-addressed in the
hub), then moved through their workflow by operators, with response and handling times."""
import io

from django.db import transaction
from django.utils import timezone

from core.inference.backends.opencv.images import encode_jpeg
from core.platform.actions.audit import record

from ..lib import workflow
from ..models import Event, EventTransition


class TransitionRefused(ValueError):
    """An illegal workflow step: the API answers 409 with the reason."""


def _evidence(frame_bgr, *, organisation, name):
    from core.hub.actions.artifacts import store_artifact

    jpeg = encode_jpeg(frame_bgr, 85)
    if jpeg is None:
        return None
    artifact, _ = store_artifact(io.BytesIO(jpeg), filename=name, organisation=organisation,
                                 acting_user=None, content_type="image/jpeg")
    return artifact


def record_event(*, camera, hit, frame_bgr=None, boxes=(), occurred_at, prediction=None) -> Event:
    """One event for one rule hit. The frame is stored as it was seen (nothing drawn on it);
    the boxes go beside it."""
    evidence, details = None, dict(hit.details or {})
    if frame_bgr is not None:
        details.update(frame_width=int(frame_bgr.shape[1]), frame_height=int(frame_bgr.shape[0]))
        evidence = _evidence(frame_bgr, organisation=camera.organisation,
                             name=f"{camera.code}-{occurred_at:%Y%m%dT%H%M%S}.jpg")
    with transaction.atomic():
        event = Event.objects.create(
            organisation=camera.organisation, camera=camera, rule_id=hit.rule_id if isinstance(hit.rule_id, int)
            else None, kind=hit.kind, title=hit.title[:300], severity=hit.severity, track_id=hit.track_id,
            cls=hit.cls or "", occurred_at=occurred_at, lat=camera.lat, lon=camera.lon, evidence=evidence,
            evidence_boxes=list(boxes), details=details, prediction=prediction)
        record("city.event.raised", acting_user=None, organisation=camera.organisation, obj=event,
               data={"kind": event.kind, "camera": camera.code, "track_id": event.track_id,
                     "evidence": evidence.pk if evidence else None})
    return event


def transition_event(event, to_status, *, acting_user, note="", assignee="") -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        problem = workflow.transition_problem(event.status, to_status, note=note or "")
        if problem:
            raise TransitionRefused(problem)
        now = timezone.now()
        before = event.status
        if to_status == workflow.DISPATCHED:
            event.dispatched_at = now
            event.response_seconds = max(0.0, (now - event.occurred_at).total_seconds())
            if assignee:
                event.assignee = assignee[:200]
        elif to_status == workflow.HANDLED:
            event.handled_at = now
            event.handling_seconds = max(0.0, (now - event.occurred_at).total_seconds())
        elif to_status == workflow.CLOSED:
            event.closed_at = now
        event.status = to_status
        event.save()
        EventTransition.objects.create(event=event, from_status=before, to_status=to_status, note=note[:500],
                                       by=acting_user)
        record("city.event.transition", acting_user=acting_user, organisation=event.organisation, obj=event,
               data={"from": before, "to": to_status, "note": note[:500], "assignee": event.assignee})
    return event
