"""Read side of the finance dashboard: scorecard evaluation, monitoring and approvals."""
from collections import defaultdict

from django.db.models.functions import TruncDate

from core.hub.models import AliasChangeRequest
from core.hub.queries import visible_models
from core.inference.models import Deployment, PredictionRecord
from core.platform import access

from .models import ModelRiskRecord


def scorecard_deployments(user):
    return access.scope(Deployment.objects.filter(profile="cpu-scorecard"), user).select_related(
        "model_version__model", "organisation")


def evaluation(model_version):
    """The holdout evaluation stored with the version: AUC/KS/Gini, ROC and KS curves,
    the score histogram, PSI bands and the random-forest importance ranking."""
    m = model_version.metrics or {}
    return {k: m.get(k) for k in ("auc", "ks", "gini", "psi", "train_auc", "cv_mean_auc", "cv_mean_ks",
                                  "variables")} | {"charts": m.get("evaluation", {})}


def psi_trend(deployment, *, max_days=90):
    """PSI of each day's served scores against the training score bands (from the
    version's evaluation), oldest day first. Days with fewer than 20 scores are
    reported with psi None: too few to judge stability."""
    from .lib.metrics import psi

    bands = ((deployment.model_version.metrics or {}).get("evaluation") or {}).get("score_bands")
    if not bands:
        return []
    by_day = defaultdict(list)
    rows = (PredictionRecord.objects.filter(deployment=deployment).annotate(day=TruncDate("created_at"))
            .order_by("-day").values_list("day", "output"))
    for day, output in rows.iterator():
        if len(by_day) >= max_days and day not in by_day:
            break
        by_day[day].extend(r["score"] for r in (output or {}).get("results", []) if "score" in r)
    out = []
    for day in sorted(by_day):
        scores = by_day[day]
        value = psi(bands, scores)["psi"] if len(scores) >= 20 else None
        out.append({"day": day.isoformat(), "n": len(scores), "psi": value})
    return out


def approval_queue(user):
    return (AliasChangeRequest.objects.filter(model__in=visible_models(user).filter(vertical="finance"),
                                              status=AliasChangeRequest.Status.PENDING)
            .select_related("model", "version", "requested_by").order_by("requested_at"))


def inventory(user):
    return (ModelRiskRecord.objects.filter(model__in=visible_models(user))
            .select_related("model__organisation", "owner").prefetch_related("model__aliases__version"))
