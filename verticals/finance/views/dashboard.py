"""The credit-risk dashboard: every scorecard deployment the user can see, the selected
one's validation and stability charts, the champion approval queue and the anti-fraud
model's alert performance. The only write here is the checker's decision, made by
core.hub.actions.registry.decide_alias_request."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.hub.actions.registry import decide_alias_request
from core.hub.models import AliasChangeRequest, ModelAlias
from core.hub.queries import visible_models
from core.platform.lib import roles
from core.ui.views.hub_decisions import decision_text

from .. import queries
from ..models import ModelRiskRecord
from . import present
from .common import can, fragment, is_htmx, messages_of, scorecard_of

MAX_COMMENT = 500


def _risk_records(model_ids):
    return {r.model_id: r for r in ModelRiskRecord.objects.filter(model_id__in=model_ids)}


def _champions(model_ids):
    return {a.model_id: a for a in ModelAlias.objects.filter(model_id__in=model_ids, name="champion")
            .select_related("version", "approved_by")}


def portfolio(deployments):
    """One row per deployment: the headline metrics of the version it serves."""
    model_ids = {d.model_version.model_id for d in deployments}
    risks, champions = _risk_records(model_ids), _champions(model_ids)
    rows = []
    for d in deployments:
        m = d.model_version.metrics or {}
        champion = champions.get(d.model_version.model_id)
        rows.append({
            "deployment": d, "version": d.model_version, "model": d.model_version.model,
            "auc": present.num(m.get("auc")), "auc_level": present.level_high_good(m.get("auc"), 0.7, 0.65),
            "ks": present.num(m.get("ks")), "ks_level": present.level_high_good(m.get("ks"), 0.3, 0.2),
            "gini": present.num(m.get("gini")), "psi": present.num(m.get("psi"), 4),
            "psi_level": present.psi_level(m.get("psi")),
            "risk": risks.get(d.model_version.model_id),
            "champion": champion,
            "is_champion": bool(champion and champion.version_id == d.model_version_id),
        })
    return rows


def queue_rows(user):
    rows = []
    requests = list(queries.approval_queue(user).select_related("model__organisation"))
    current = {(a.model_id, a.name): a for a in ModelAlias.objects.filter(
        model_id__in={r.model_id for r in requests}).select_related("version")}
    for req in requests:
        own = req.requested_by_id == user.pk
        m = req.version.metrics or {}
        rows.append({
            "req": req, "own": own,
            "can_decide": can(user, roles.APPROVE, req.model.organisation) and not own,
            "auc": present.num(m.get("auc")), "ks": present.num(m.get("ks")), "psi": present.num(m.get("psi"), 4),
            "current": current.get((req.model_id, req.alias)),
        })
    return rows


def fraud_models(user):
    """Anti-fraud models the user can see, each with the version in use (champion, else the
    newest) and its precision/recall at the alert rates."""
    out = []
    models = visible_models(user).filter(vertical="finance", model_type="anti_fraud").select_related("organisation")
    for model in models.order_by("name"):
        champion = model.aliases.filter(name="champion").select_related("version").first()
        version = champion.version if champion else model.versions.order_by("-version").first()
        if version is None:
            continue
        out.append({"model": model, "version": version, "is_champion": bool(champion),
                    "summary": present.fraud_summary(version.metrics)})
    return out


def _selected(deployments, wanted):
    try:
        wanted = int(wanted)
    except (TypeError, ValueError):
        wanted = None
    by_id = {d.pk: d for d in deployments}
    if wanted in by_id:
        return by_id[wanted]
    active = [d for d in deployments if d.status == d.Status.ACTIVE]
    return (active or deployments or [None])[0]


def deployment_detail(deployment, row):
    version = deployment.model_version
    ev = queries.evaluation(version)
    trend = queries.psi_trend(deployment)
    card = scorecard_of(version)
    ranking = (ev.get("charts") or {}).get("rf_importance")
    names = present.selected_names(card)
    return {
        "deployment": deployment, "version": version, "model": version.model, "row": row,
        "ev": ev, "trend": trend, "has_charts": bool((ev.get("charts") or {}).get("roc")),
        "kpis": present.kpis(ev, trend),
        "charts": present.charts(ev, trend, names),
        "variables": present.scorecard_variables(card, ranking),
        "scorecard": card,
        "n_candidates": len(ranking or []),
    }


@login_required
def dashboard(request):
    deployments = list(queries.scorecard_deployments(request.user).select_related("model_version__artifact")
                       .order_by("organisation__name", "name", "pk"))
    rows = portfolio(deployments)
    selected = _selected(deployments, request.GET.get("deployment"))
    detail = None
    if selected is not None:
        detail = deployment_detail(selected, next(r for r in rows if r["deployment"].pk == selected.pk))
    return render(request, "finance/dashboard.html", {
        "rows": rows, "detail": detail, "queue": queue_rows(request.user),
        "fraud": fraud_models(request.user),
    })


@login_required
@require_POST
def decide(request, request_id):
    """The checker approves or rejects a pending alias change (champion: going live)."""
    req = get_object_or_404(AliasChangeRequest.objects.filter(
        model__in=visible_models(request.user).filter(vertical="finance")).select_related(
        "model__organisation", "version", "requested_by"), pk=request_id)
    if not can(request.user, roles.APPROVE, req.model.organisation):
        raise PermissionDenied(_("Deciding alias changes needs the approver role."))
    decision = request.POST.get("decision")
    notice, status = None, 200
    if decision not in ("approve", "reject"):
        notice, status = {"level": "bad", "text": _("Choose approve or reject.")}, 400
    else:
        comment = (request.POST.get("comment") or "").strip()[:MAX_COMMENT]
        try:
            decide_alias_request(req, approve=decision == "approve", acting_user=request.user, comment=comment)
        except PermissionError as exc:
            notice, status = {"level": "bad", "text": " ".join(messages_of(exc))}, 403
        except ValidationError as exc:
            notice, status = {"level": "bad", "text": " ".join(messages_of(exc))}, 409
        else:
            notice = {"level": "ok", "text": decision_text(req, approve=decision == "approve")}
    if not is_htmx(request):
        if status != 200:
            return render(request, "finance/refused.html", {"notice": notice}, status=status)
        return redirect("finance:dashboard")
    return fragment(request, "finance/partials/queue.html", {"queue": queue_rows(request.user), "notice": notice},
                    status=status)
