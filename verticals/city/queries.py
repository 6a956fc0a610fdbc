"""Reads shared by the city's pages and API: streams and their rate, events (visible,
filtered, by type and hour), response times, how busy each compute pool has been, and
whose map a user sees. Everything is scoped to the organisations the user may read."""
from collections import Counter
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.platform import access
from core.platform.lib import roles
from core.platform.models import Membership, Organisation
from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.fields import parse_id

from .actions.dispatchers import absent_reason
from .lib import workflow
from .models import Camera, ComputePool, DispatchRecord, Event, MapLayer, Rule


def datetime_param(raw, name):
    """An ISO 8601 date-time from a query parameter, timezone-aware (without an offset it is
    local time, as an HTML datetime-local field sends it); None when absent; 400 naming the
    parameter when malformed."""
    if raw is None or not str(raw).strip():
        return None
    value = None
    # An unencoded '+' of a UTC offset arrives as a space.
    for text in (raw.strip(), raw.strip().replace(" ", "+")):
        for parse in (parse_datetime, datetime.fromisoformat):
            try:
                value = value or parse(text)
            except ValueError:  # well formed but impossible, e.g. month 13
                pass
    if value is None:
        raise FieldErrors({name: [f"{name} must be an ISO 8601 date-time, e.g. 2024-05-01T08:00:00Z"]},
                          f"{name}: not an ISO 8601 date-time")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


OPEN_STATUSES = (Event.Status.NEW, Event.Status.DISPATCHED, Event.Status.HANDLED)


def visible_org_ids(user):
    return access.org_ids_with(user, roles.READ)


def scoped_org_ids(user, code=None):
    """Readable organisation ids, narrowed to `code`'s subtree when given (404 unless readable):
    what every city API's ?org= means."""
    visible = visible_org_ids(user)
    if not code:
        return visible
    org = get_object_or_404(Organisation.objects.filter(pk__in=visible), code=code)
    return set(Organisation.objects.filter(pk__in=visible, path__startswith=org.path).values_list("pk", flat=True))


def streams(user):
    """Each camera with its status and how close its analysed rate is to the asked one."""
    rows = []
    for cam in Camera.objects.filter(organisation_id__in=visible_org_ids(user)).select_related("organisation"):
        ratio = cam.measured_fps / cam.analysis_fps if cam.analysis_fps else 0.0
        rows.append({"camera": cam, "fps_ratio": ratio, "keeps_up": ratio >= 0.95})
    return rows


def stream_totals(rows):
    by_status = {}
    for r in rows:
        by_status[r["camera"].status] = by_status.get(r["camera"].status, 0) + 1
    online = by_status.get(Camera.Status.ONLINE, 0) + by_status.get(Camera.Status.DEGRADED, 0)
    return {"cameras": len(rows), "online": online, "by_status": by_status,
            "fps": round(sum(r["camera"].measured_fps for r in rows if r["camera"].status in
                             (Camera.Status.ONLINE, Camera.Status.DEGRADED)), 1)}


def event_stats(user, *, hours=24, now=None):
    """Counts by rule kind and, per kind, by hour over the window (oldest hour first), the
    open events, and response / handling times of the window's events."""
    now = now or timezone.now()
    orgs = visible_org_ids(user)
    # One pass over the window's rows: a window holds at most a few thousand events.
    rows = list(Event.objects.filter(organisation_id__in=orgs, occurred_at__gte=now - timedelta(hours=hours),
                                     occurred_at__lte=now)
                .values_list("kind", "occurred_at", "response_seconds", "handling_seconds"))
    kinds = dict(sorted(Counter(kind for kind, *_ in rows).items(), key=lambda kn: (-kn[1], kn[0])))
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    hours_axis = [start + timedelta(hours=i) for i in range(hours)]
    series = {kind: [0] * hours for kind in kinds}
    for kind, at, _, _ in rows:
        slot = int((at - start).total_seconds() // 3600)
        if 0 <= slot < hours:
            series[kind][slot] += 1
    response = [r for _, _, r, _ in rows if r is not None]
    handling = [h for _, _, _, h in rows if h is not None]
    kind_labels = dict(Rule.Kind.choices)
    return {
        "window_hours": hours,
        "total": sum(kinds.values()),
        "open": Event.objects.filter(organisation_id__in=orgs, status__in=OPEN_STATUSES).count(),
        "by_kind": [{"kind": k, "label": str(kind_labels.get(k, k)), "count": n} for k, n in kinds.items()],
        "chart": {"hours": [timezone.localtime(h).strftime("%H:00") for h in hours_axis],
                  "series": [{"kind": k, "name": str(kind_labels.get(k, k)), "data": series[k]} for k in kinds]},
        "response_median_s": median(response) if response else None,
        "handling_median_s": median(handling) if handling else None,
        "responded": len(response),
    }


def pool_utilisation(user, *, minutes=60, now=None):
    """Per pool over the window: calls by outcome, busy share (time spent running calls over
    capacity x window) and median wait; and whether the pool is simulated on this host."""
    now = now or timezone.now()
    since = now - timedelta(minutes=minutes)
    window_ms = minutes * 60_000
    rows = []
    for pool in ComputePool.objects.filter(organisation_id__in=visible_org_ids(user)):
        calls = list(DispatchRecord.objects.filter(pool=pool, created_at__gte=since)
                     .values_list("outcome", "run_ms", "wait_ms"))
        done = [c for c in calls if c[0] == DispatchRecord.Outcome.OK]
        busy = sum(c[1] for c in done) / (max(pool.capacity, 1) * window_ms)
        absent = absent_reason(pool.accelerator) is not None
        rows.append({
            "pool": pool, "simulated": absent, "calls": len(calls), "ok": len(done),
            "refused": sum(1 for c in calls if c[0] == DispatchRecord.Outcome.REFUSED),
            "failed": sum(1 for c in calls if c[0] == DispatchRecord.Outcome.FAILED),
            "busy_pct": round(100 * min(busy, 1.0), 1),
            "wait_median_ms": round(median([c[2] for c in done]), 1) if done else None,
        })
    return {"window_minutes": minutes, "pools": rows,
            "chart": {"pools": [r["pool"].name for r in rows], "busy": [r["busy_pct"] for r in rows],
                      "simulated": [r["simulated"] for r in rows]}}


# -- shared by the pages and the API -------------------------------------------------------

EVENT_WINDOW = timedelta(hours=24)


def visible_events(user):
    return access.scope(Event.objects.all(), user).select_related(
        "camera", "organisation", "rule")


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


def map_organisation(user, code=None):
    """The organisation whose base map the user sees: `code` when given (404 unless
    readable), else the first readable organisation with map layers - the user's own
    organisations first, then the one nearest the root."""
    visible = access.org_ids_with(user, roles.READ)
    if code:
        return get_object_or_404(Organisation.objects.filter(pk__in=visible), code=code)
    with_layers = set(MapLayer.objects.filter(organisation_id__in=visible).values_list("organisation_id", flat=True))
    if not with_layers:
        return None
    own = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    orgs = Organisation.objects.filter(pk__in=with_layers)
    return min(orgs, key=lambda o: (o.pk not in own, o.path.count("/"), o.path))
