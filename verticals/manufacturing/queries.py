"""Read side of the dashboard: what a station did, by hour and by class."""
from datetime import timedelta

from django.db.models.functions import TruncHour
from django.utils import timezone

from core.platform import access

from .lib.verdict import GUARD_LABEL, hourly, line_rates
from .models import Inspection, Station


def visible_stations(user):
    return access.scope(Station.objects.all(), user).select_related(
        "deployment__model_version__model", "organisation")


def labels_of(station):
    params = station.deployment.model_version.params or {}
    return list(params.get("labels") or [])


def summary(station, *, hours=24, now=None):
    now = now or timezone.now()
    since = now - timedelta(hours=hours)
    qs = Inspection.objects.filter(station=station, created_at__gte=since)
    rows = list(qs.annotate(hour=TruncHour("created_at")).values_list("hour", "verdict", "truth", "defect_counts"))
    labels = labels_of(station)
    if station.guard_level is not None or any(GUARD_LABEL in (c or {}) for _, _, _, c in rows):
        labels.append(GUARD_LABEL)
    by_hour = hourly([(h.isoformat(), v, t, c) for h, v, t, c in rows], labels)
    totals = {label: sum(values) for label, values in by_hour["by_class"].items()}
    rates = line_rates((v, t) for _, v, t, _ in rows)
    mv = station.deployment.model_version
    return {
        "station": station.code,
        "window_hours": hours,
        "parts": len(rows),
        "rejects": sum(1 for _, v, _, _ in rows if v == "reject"),
        "defects_by_class": totals,
        "by_hour": by_hour,
        "line": rates,
        "model_version": {"id": mv.pk, "model": mv.model.name, "version": mv.version},
        "model_eval": {k: mv.metrics.get(k) for k in ("map50", "map50_95", "ap50_per_class", "line",
                                                           "operating_point", "baseline", "guarded", "val_images")},
        # how the model was trained: what the page says when its mAP is below what an operator trusts
        "model_training": {k: mv.params.get(k) for k in ("epochs", "pretrained", "architecture")},
    }
