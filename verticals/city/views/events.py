"""Event pages (/v/city/events/): the list with filters, and one event with its evidence
frame (boxes drawn over it in SVG), its workflow buttons (HTMX, plain POST without JS) and
its history."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.platform import access
from core.platform.lib import roles
from core.platform.rest.exceptions import FieldErrors

from ..actions.events import TransitionRefused, transition_event
from ..lib import workflow
from ..models import Camera, Event, Rule
from ..queries import filter_events, visible_events
from .labels import class_label, dress_event

PAGE = 200
FILTERS = ("status", "kind", "camera", "since", "until")


@login_required
def event_list(request):
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    qs, error = visible_events(request.user), ""
    try:
        qs = filter_events(qs, params)
    except FieldErrors as exc:
        error = str(exc)
    total = qs.count()
    ctx = {"section": "city", "events": [dress_event(e) for e in qs[:PAGE]], "total": total, "shown": min(total, PAGE), "f": params,
           "error": error, "statuses": Event.Status.choices, "kinds": Rule.Kind.choices,
           "cameras": access.scope(Camera.objects.all(), request.user)
           .only("code", "name")}
    template = "city/partials/event_rows.html" if request.headers.get("HX-Request") else "city/events.html"
    return render(request, template, ctx)


def _workflow_context(request, event, error=""):
    can_act = access.can(request.user, roles.PREDICT, event.organisation)
    labels = dict(Event.Status.choices)
    steps = []
    for to in workflow.ALLOWED[event.status]:
        false_alarm = event.status == workflow.NEW and to == workflow.CLOSED
        steps.append({"to": to, "false_alarm": false_alarm, "assign": to == workflow.DISPATCHED,
                      "label": _("Close as a false alarm") if false_alarm else
                      _("Mark %(status)s") % {"status": labels[to].lower()}})
    return {"event": event, "can_act": can_act, "steps": steps, "error": error,
            "transitions": event.transitions.select_related("by")}


@login_required
def event_detail(request, event_id):
    event = dress_event(get_object_or_404(visible_events(request.user), pk=event_id))
    rects = []
    for b in event.evidence_boxes or []:
        try:
            x1, y1, x2, y2 = (float(v) for v in b["box"])
        except (KeyError, TypeError, ValueError):
            continue
        label = " ".join(str(x) for x in (class_label(b.get("cls", "")), f"#{b['track_id']}" if b.get("track_id") else "") if x)
        rects.append({"x": x1, "y": y1, "w": max(x2 - x1, 0), "h": max(y2 - y1, 0), "label": label,
                      "hit": b.get("track_id") is not None and b.get("track_id") == event.track_id})
    ctx = {"section": "city", "rects": rects,
           "frame_w": event.details.get("frame_width", 640), "frame_h": event.details.get("frame_height", 360),
           "kind_label": dict(Rule.Kind.choices).get(event.kind, event.kind), **_workflow_context(request, event)}
    return render(request, "city/event.html", ctx)


@login_required
@require_POST
def event_transition(request, event_id):
    """HTMX posts get the workflow panel back (and the status badge out of band); a plain
    form post is redirected to the event page with the outcome as a message."""
    event = get_object_or_404(visible_events(request.user), pk=event_id)
    htmx = bool(request.headers.get("HX-Request"))
    error, outcome = "", 200
    if not access.can(request.user, roles.PREDICT, event.organisation):
        error, outcome = _("Moving an event along its workflow needs the operator role."), 403
    else:
        try:
            event = transition_event(event, request.POST.get("to", ""), acting_user=request.user,
                                     note=request.POST.get("note", "").strip()[:500],
                                     assignee=request.POST.get("assignee", "").strip()[:200])
        except TransitionRefused as exc:
            error, outcome = str(exc), 409
    if htmx:
        # HTMX swaps only 2xx answers by default and the panel carries the message, so it is
        # a 200; the outcome is in a header for scripts and tests.
        response = render(request, "city/partials/event_workflow.html",
                          {**_workflow_context(request, event, error), "oob": True})
        response["X-Outcome"] = str(outcome)
        return response
    if error:
        messages.error(request, error)
    return redirect("city:event", event_id)
