"""The model-risk inventory: every model with its owner, risk tier, status and
revalidation dates; status changes and registration go through actions/risk_inventory."""
import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.hub.models import RegisteredModel
from core.hub.queries import visible_models
from core.platform import access
from core.platform.lib import roles

from .. import queries
from ..actions import risk_inventory
from ..models import ModelRiskRecord
from .common import can_govern, fragment, is_htmx, messages_of

DUE_SOON_DAYS = 30
MAX_PURPOSE = 300


def revalidation_months():
    from django.apps import apps

    return apps.get_app_config("finance").setting("revalidation_months") or 12


def _today():
    return timezone.localdate()


def decorate(rec, user, today=None):
    """Adds what a row shows: champion, revalidation state, the next statuses on offer."""
    today = today or _today()
    champion = next((a for a in rec.model.aliases.all() if a.name == "champion"), None)
    rec.champion = champion
    rec.overdue = bool(rec.next_revalidation and rec.next_revalidation < today and rec.status != "retired")
    rec.days_overdue = (today - rec.next_revalidation).days if rec.overdue else 0
    rec.due_soon = bool(not rec.overdue and rec.next_revalidation and rec.status != "retired"
                        and rec.next_revalidation <= today + datetime.timedelta(days=DUE_SOON_DAYS))
    rec.days_left = (rec.next_revalidation - today).days if rec.due_soon else None
    labels = dict(ModelRiskRecord.Status.choices)
    order = list(ModelRiskRecord.Status.values)
    rec.next_statuses = [(s, labels[s]) for s in sorted(risk_inventory.TRANSITIONS.get(rec.status, ()), key=order.index)]
    rec.can_change = bool(rec.next_statuses) and can_govern(user, rec.model.organisation)
    return rec


def records(user):
    today = _today()
    return [decorate(r, user, today) for r in queries.inventory(user).prefetch_related("model__aliases__approved_by")
            .order_by("model__organisation__name", "model__name")]


def unregistered(user):
    """Finance models the user may put into the inventory (developers of their organisation)."""
    develop = access.org_ids_with(user, roles.DEVELOP) if not user.is_superuser else None
    models = visible_models(user).filter(vertical="finance", risk_record__isnull=True).select_related("organisation")
    if develop is not None:
        models = models.filter(organisation_id__in=develop)
    return list(models.order_by("name"))


def can_register(user):
    return user.is_superuser or bool(access.org_ids_with(user, roles.DEVELOP))


def summary(rows):
    return {
        "total": len(rows),
        "production": sum(r.status == "production" for r in rows),
        "validation": sum(r.status in ("validation", "approved") for r in rows),
        "high": sum(r.risk_tier == "high" and r.status != "retired" for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "due_soon": sum(r.due_soon for r in rows),
    }


def page_context(user, **extra):
    rows = records(user)
    return {"records": rows, "summary": summary(rows), "unregistered": unregistered(user),
            "can_register": can_register(user), "tiers": ModelRiskRecord.Tier.choices,
            "form": {"risk_tier": "medium"}, "form_errors": {}, **extra}


@login_required
def inventory(request):
    return render(request, "finance/inventory.html", page_context(request.user))


@login_required
@require_POST
def change_status(request, record_id):
    """One row's status change; the action decides who may make it and answers why not."""
    rec = get_object_or_404(queries.inventory(request.user), pk=record_id)
    if not can_govern(request.user, rec.model.organisation):
        raise PermissionDenied(_("Changing a model's status needs the developer or approver role."))
    status = request.POST.get("status", "")
    reason = (request.POST.get("reason") or "").strip()[:MAX_PURPOSE]
    error, code, changed = None, 200, False
    if status not in ModelRiskRecord.Status.values:
        error, code = _("Choose the status to move the model to."), 400
    else:
        try:
            risk_inventory.change_status(rec, status, acting_user=request.user, reason=reason,
                                  validation_months=int(revalidation_months()))
            changed = True
        except PermissionError as exc:
            error, code = " ".join(messages_of(exc)), 403
        except ValidationError as exc:
            error, code = " ".join(messages_of(exc)), 400
    if not is_htmx(request):
        if error:
            return render(request, "finance/refused.html",
                          {"notice": {"level": "bad", "text": error}, "back": "finance:inventory"}, status=code)
        return redirect("finance:inventory")
    row = decorate(queries.inventory(request.user).prefetch_related("model__aliases__approved_by").get(pk=rec.pk),
                   request.user)
    return fragment(request, "finance/partials/inventory_row.html",
                    {"rec": row, "row_error": error, "row_changed": changed,
                     "summary_oob": summary(records(request.user))},
                    status=code)


@login_required
@require_POST
def register(request):
    """A developer puts a model into the inventory with its owner, tier and purpose."""
    if not can_register(request.user):
        raise PermissionDenied(_("Registering a model for risk review needs the developer role."))
    form = {k: (request.POST.get(k) or "").strip() for k in ("model", "owner", "risk_tier", "purpose")}
    errors = {}
    model = None
    try:
        model = visible_models(request.user).filter(vertical="finance").get(pk=int(form["model"]))
    except (ValueError, TypeError, RegisteredModel.DoesNotExist):
        errors["model"] = [_("Choose a finance model you can see.")]
    owner = request.user
    if form["owner"]:
        owner = get_user_model().objects.filter(username=form["owner"]).first()
        if owner is None:
            errors["owner"] = [_("No user named %(name)s.") % {"name": form["owner"]}]
    if form["risk_tier"] not in ModelRiskRecord.Tier.values:
        errors["risk_tier"] = [_("Choose a risk tier.")]
    code = 200
    if not errors:
        try:
            risk_inventory.register_model_risk(model, owner=owner, risk_tier=form["risk_tier"],
                                        purpose=form["purpose"][:MAX_PURPOSE], acting_user=request.user)
        except PermissionError as exc:
            errors["general"], code = messages_of(exc), 403
        except ValidationError as exc:
            errors = {("general" if k == "__all__" else k): v for k, v in exc.message_dict.items()} \
                if hasattr(exc, "error_dict") else {"general": messages_of(exc)}
    if errors and code == 200:
        code = 400
    if not is_htmx(request):
        if errors:
            return render(request, "finance/inventory.html",
                          page_context(request.user, form=form, form_errors=errors), status=code)
        return redirect("finance:inventory")
    notice = None if errors else {"level": "ok", "text": _("%(model)s is now in the model-risk inventory.") % {
        "model": model.name}}
    return fragment(request, "finance/partials/inventory_panel.html",
                    page_context(request.user, form=form if errors else {"risk_tier": "medium"}, form_errors=errors,
                                 notice=notice), status=code)
