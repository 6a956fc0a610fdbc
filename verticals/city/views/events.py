"""Event pages (/v/city/events/): the list with filters, and one event with its evidence
frame (boxes drawn over it in SVG), its workflow buttons and its history."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.platform import access
from core.platform.lib import roles

from ..actions.events import TransitionRefused, transition_event
from ..api.events import visible_events
from ..lib import workflow
from ..models import Event, Rule

PAGE = 200


@login_required
def event_list(request):
    qs = visible_events(request.user)
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in workflow.STATUSES:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return render(request, "city/events.html", {
        "section": "city", "events": qs[:PAGE], "status": status, "kind": kind,
        "statuses": Event.Status.choices, "kinds": Rule.Kind.choices})


@login_required
def event_detail(request, event_id):
    event = get_object_or_404(visible_events(request.user), pk=event_id)
    can_act = access.can(request.user, roles.PREDICT, event.organisation)
    nexts = list(workflow.ALLOWED[event.status])
    rects = []
    for b in event.evidence_boxes or []:
        try:
            x1, y1, x2, y2 = (float(v) for v in b["box"])
        except (KeyError, TypeError, ValueError):
            continue
        rects.append({"x": x1, "y": y1, "w": max(x2 - x1, 0), "h": max(y2 - y1, 0), "label": b.get("cls", "")})
    return render(request, "city/event.html", {
        "section": "city", "event": event, "can_act": can_act, "nexts": nexts, "rects": rects,
        "frame_w": event.details.get("frame_width", 640), "frame_h": event.details.get("frame_height", 480),
        "transitions": event.transitions.select_related("by"),
        "labels": dict(Event.Status.choices), "kind_label": dict(Rule.Kind.choices).get(event.kind, event.kind)})


@login_required
@require_POST
def event_transition(request, event_id):
    event = get_object_or_404(visible_events(request.user), pk=event_id)
    if not access.can(request.user, roles.PREDICT, event.organisation):
        messages.error(request, "moving an event along its workflow needs the operator role")
        return redirect("city:event", event_id)
    try:
        transition_event(event, request.POST.get("to", ""), acting_user=request.user,
                         note=request.POST.get("note", "")[:500], assignee=request.POST.get("assignee", "")[:200])
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("city:event", event_id)
