import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.platform import signing
from core.platform.actions.audit import verify

from ..forms import AuditFilterForm
from ..scope import can_read_audit, visible_audit_events
from .htmx import render_page

PAGE_SIZE = 50


def _require_auditor(user):
    if not can_read_audit(user):
        raise PermissionDenied("reading the audit log needs the auditor or administrator role")


@login_required
def audit_log(request):
    _require_auditor(request.user)
    events = visible_audit_events(request.user)
    object_types = events.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True)
    form = AuditFilterForm(request.GET or None, object_types=object_types.distinct())
    status = 200
    if form.is_bound and form.is_valid():
        events = _filtered(events, form.cleaned_data)
    elif form.is_bound:
        events, status = events.none(), 400
    page = Paginator(events.select_related("organisation"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "ui/audit.html", "ui/partials/audit_table.html",
                       {"form": form, "page": page, "query": query.urlencode()}, status=status)


def _filtered(events, data):
    if data["action"]:
        events = events.filter(action__icontains=data["action"])
    if data["actor"]:
        events = events.filter(actor_name__icontains=data["actor"])
    if data["object_type"]:
        events = events.filter(object_type=data["object_type"])
    # Whole days in the site's time zone, the end day included.
    tz = timezone.get_current_timezone()
    if data["since"]:
        events = events.filter(at__gte=datetime.datetime.combine(data["since"], datetime.time.min, tz))
    if data["until"]:
        end = data["until"] + datetime.timedelta(days=1)
        events = events.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    return events


@login_required
@require_POST
def audit_verify(request):
    """Checks the whole chain, as `manage.py audit_verify` does: a break anywhere
    matters to every auditor, and the answer names only a sequence number."""
    _require_auditor(request.user)
    result = verify()
    checkpoint = result.checkpoint
    return render(request, "ui/partials/audit_verify.html", {
        "checked": result.checked, "broken": result.broken, "at": timezone.now(),
        "checkpoint": checkpoint, "after_checkpoint": result.after_checkpoint,
        # What an auditor compares with the key they were given out of band.
        "key_id": signing.key_id()})
