"""The station list and the station dashboard. Read-only; the writes are in live.py."""
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.platform import access
from core.platform.lib import roles

from ..models import Inspection
from ..queries import summary, visible_stations
from . import present

RECENT_ROWS = 50
LATEST_CARDS = 4


def station_or_404(user, station_id):
    """A station the user may see; another branch's station does not exist for them."""
    return get_object_or_404(visible_stations(user).select_related("deployment__model_version__model"),
                             pk=station_id)


def can_operate(user, station):
    """Operators, developers and admins inspect parts and review verdicts; the others watch."""
    return access.can(user, roles.PREDICT, station.organisation)


def inspections_of(station):
    return (Inspection.objects.filter(station=station)
            .select_related("station", "model_version__model", "reviewed_by", "inspected_by"))


def decorate(inspection):
    inspection.boxes, inspection.weaker = present.shown_boxes(inspection)
    inspection.reason = present.reason(inspection)
    inspection.chips = present.defect_chips(inspection)
    return inspection


def live_context(station, user, *, table=True):
    """What every write refreshes on the page: KPI tiles, chart data and (unless the
    answer is a single row) the recent-inspections table."""
    data = summary(station)
    return {
        "station": station,
        "can_operate": can_operate(user, station),
        "summary": data,
        "kpi": present.kpis(data, station),
        "chart": present.chart_data(data),
        "recent": [decorate(i) for i in inspections_of(station)[:RECENT_ROWS]] if table else [],
    }


@login_required
def station_list(request):
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    latest = Inspection.objects.filter(station=OuterRef("pk")).order_by("-created_at", "-id")
    stations = list(visible_stations(request.user).select_related("deployment").annotate(
        last_verdict=Subquery(latest.values("verdict")[:1]),
        last_at=Subquery(latest.values("created_at")[:1]),
    ).order_by("organisation__name", "line", "code"))
    today = {row["station_id"]: row for row in Inspection.objects.filter(
        station__in=[s.pk for s in stations], created_at__gte=midnight).values("station_id").annotate(
        parts=Count("id"), rejects=Count("id", filter=Q(verdict=Inspection.Verdict.REJECT)))}
    for s in stations:
        row = today.get(s.pk, {})
        s.parts_today = row.get("parts", 0)
        s.rejects_today = row.get("rejects", 0)
        s.reject_rate = present.pct(s.rejects_today / s.parts_today if s.parts_today else None)
        s.last_verdict_label = dict(Inspection.Verdict.choices).get(s.last_verdict, "")
    parts = sum(s.parts_today for s in stations)
    rejects = sum(s.rejects_today for s in stations)
    return render(request, "manufacturing/stations.html", {
        "stations": stations,
        "totals": {"stations": len(stations), "parts": parts, "rejects": rejects,
                   "reject_rate": present.pct(rejects / parts if parts else None)},
        "since": midnight,
    })


@login_required
def station_detail(request, station_id):
    station = station_or_404(request.user, station_id)
    context = live_context(station, request.user)
    latest = context["recent"][:LATEST_CARDS]
    context.update({
        "latest": latest,
        "latest_id": context["recent"][0].pk if context["recent"] else 0,
        "streaming": request.GET.get("stream") in ("1", "on", "true"),
        "version": station.deployment.model_version,
        "display_threshold": present.display_threshold(station),
        "max_boxes": present.MAX_SHOWN,
    })
    return render(request, "manufacturing/station.html", context)
