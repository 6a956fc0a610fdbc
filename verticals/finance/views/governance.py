"""One model's governance view for validators and auditors: versions with their metrics,
lineage, the evidence pack, and reproductions of its training runs (same hash or not)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.hub.actions.evidence import export_evidence
from core.hub.models import AliasChangeRequest, LineageEdge
from core.hub.queries import visible_models, visible_versions
from core.platform import access
from core.platform.lib import roles
from core.training.actions.reproduce import report as reproduction_report
from core.training.actions.reproduce import reproduce as reproduce_run
from core.training.models import Job, TrainingRun

from ..models import ModelRiskRecord
from . import present
from .common import can, fragment, is_htmx, messages_of
from .inventory import decorate

HEADLINE_METRICS = ("auc", "ks", "gini", "psi", "cv_mean_auc", "train_auc", "variables")
FRAUD_METRICS = ("pr_auc", "roc_auc")
MAX_REPRODUCTIONS = 50


def finance_models(user):
    return visible_models(user).filter(vertical="finance")


def _produced(version_ids):
    """{training run id: model version id} for the runs that produced these versions."""
    return dict(LineageEdge.objects.filter(src_kind="training_run", dst_kind="model_version", relation="produced",
                                           dst_id__in=version_ids).values_list("src_id", "dst_id"))


def _scalar(value):
    return isinstance(value, (int, float, str, bool)) or value is None


def _differences(diffs):
    rows = []
    for key, d in sorted((diffs or {}).items()):
        a, b = d.get("original"), d.get("reproduced")
        if _scalar(a) and _scalar(b):
            rows.append({"metric": key, "original": a, "reproduced": b, "nested": False})
        else:
            rows.append({"metric": key, "original": "", "reproduced": "", "nested": True})
    return rows


def reproductions(user, run_ids):
    """Reproduction jobs of these runs (newest first) with their reports."""
    jobs = (access.scope(Job.objects.filter(params__reproduce_of_run__in=list(run_ids)), user)
            .select_related("started_by").order_by("-created_at", "-pk")[:MAX_REPRODUCTIONS])
    out = []
    for job in jobs:
        try:
            rep = reproduction_report(job)
        except (ValidationError, TrainingRun.DoesNotExist):
            continue
        rep["differences"] = _differences(rep.get("metric_differences"))
        out.append({"job": job, "report": rep, "pending": job.status in (Job.Status.QUEUED, Job.Status.RUNNING)})
    return out


def versions_of(model):
    rows = []
    for v in model.versions.select_related("artifact", "created_by").prefetch_related("aliases").order_by("-version"):
        m = v.metrics or {}
        keys = FRAUD_METRICS if model.model_type == "anti_fraud" else HEADLINE_METRICS
        v.headline = [{"key": k, "value": present.num(m[k], 4 if k == "psi" else 3) if k != "variables" else m[k]}
                      for k in keys if m.get(k) is not None]
        v.alias_names = [a.name for a in v.aliases.all()]
        rows.append(v)
    return rows


def left_out(metrics):
    """The columns a scorecard version did not use, and why (screening, IV, correlation,
    coefficient sign), from the selection its trainer recorded."""
    selection = ((metrics or {}).get("evaluation") or {}).get("selection") or []
    return [entry for entry in selection if isinstance(entry, dict) and not entry.get("selected")]


def model_context(user, model, **extra):
    versions = versions_of(model)
    produced = _produced([v.pk for v in versions])
    by_version = {v.pk: v for v in versions}
    runs = list(TrainingRun.objects.filter(pk__in=produced).select_related("job__started_by").order_by("-pk"))
    can_develop = can(user, roles.DEVELOP, model.organisation)
    for run in runs:
        run.version = by_version.get(produced[run.pk])
        run.reproducible = run.job.status == Job.Status.SUCCEEDED
        run.reproduces = (run.job.params or {}).get("reproduce_of_run")
    risk = ModelRiskRecord.objects.filter(model=model).select_related("owner").first()
    if risk is not None:
        decorate(risk, user)
    reps = reproductions(user, [r.pk for r in runs])
    latest = versions[0] if versions else None
    return {
        "left_out_version": latest,
        "left_out": left_out(latest.metrics if latest else None),
        "model": model, "versions": versions, "runs": runs, "risk": risk,
        "reproductions": reps, "polling": any(r["pending"] for r in reps),
        "aliases": model.aliases.select_related("version", "updated_by", "approved_by").order_by("name"),
        "pending": model.alias_requests.filter(status=AliasChangeRequest.Status.PENDING)
        .select_related("version", "requested_by"),
        "can_reproduce": can_develop,
        "can_export": can_develop or can(user, roles.READ_AUDIT, model.organisation),
        **extra,
    }


@login_required
def model_detail(request, model_id):
    model = get_object_or_404(finance_models(request.user).select_related("organisation", "created_by"), pk=model_id)
    return render(request, "finance/model.html", model_context(request.user, model))


@login_required
@require_GET
def reproductions_panel(request, model_id):
    """The reproduction reports, polled while a reproduction is queued or running."""
    model = get_object_or_404(finance_models(request.user), pk=model_id)
    return fragment(request, "finance/partials/reproductions.html", model_context(request.user, model))


@login_required
@require_GET
def evidence(request, version_id):
    """The signed evidence pack of one version, as a zip download."""
    version = get_object_or_404(visible_versions(request.user).filter(model__vertical="finance")
                                .select_related("model__organisation", "artifact"), pk=version_id)
    try:
        data = export_evidence(version, acting_user=request.user)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from None
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{version.model.name}-v{version.version}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def reproduce(request, run_id):
    """Re-run a training run from what it recorded; the report compares hashes when it ends."""
    run = get_object_or_404(TrainingRun.objects.select_related("job__organisation"), pk=run_id)
    produced = _produced_by_run(run.pk)
    model = finance_models(request.user).filter(versions__pk__in=produced).select_related("organisation").first()
    if model is None:
        raise Http404("no such training run")
    if not can(request.user, roles.DEVELOP, run.job.organisation):
        raise PermissionDenied(_("Reproducing a training run needs the developer role."))
    notice, status = None, 200
    try:
        job = reproduce_run(run, acting_user=request.user)
    except PermissionError as exc:
        notice, status = {"level": "bad", "text": " ".join(messages_of(exc))}, 403
    except ValidationError as exc:
        notice, status = {"level": "bad", "text": " ".join(messages_of(exc))}, 400
    else:
        notice = {"level": "ok", "text": _("Reproduction of run %(run)s queued as job %(job)s.") % {
            "run": run.pk, "job": job.pk}}
    if not is_htmx(request):
        if status != 200:
            return render(request, "finance/refused.html", {"notice": notice}, status=status)
        return redirect("finance:model", model_id=model.pk)
    return fragment(request, "finance/partials/reproductions.html",
                    model_context(request.user, model, notice=notice), status=status)


def _produced_by_run(run_id):
    return list(LineageEdge.objects.filter(src_kind="training_run", src_id=run_id, dst_kind="model_version",
                                           relation="produced").values_list("dst_id", flat=True))
