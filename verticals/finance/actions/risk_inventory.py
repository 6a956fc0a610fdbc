"""The model-risk inventory: registering a model, moving it through validation,
approval, production and retirement."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.hub.models import ModelAlias
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import ModelRiskRecord

# Which status may follow which: a model is validated before approval, approved
# before production, and leaves production only by retirement (the exit mechanism).
TRANSITIONS = {
    "development": {"validation", "retired"},
    "validation": {"development", "approved", "retired"},
    "approved": {"validation", "production", "retired"},
    "production": {"validation", "retired"},
    "retired": set(),
}


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def register_model_risk(model, *, owner, acting_user, risk_tier="medium", purpose=""):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, model.organisation):
        raise PermissionError(f"you may not register models for risk review in {model.organisation}")
    if owner is None or not access.can(owner, roles.DEVELOP, model.organisation):
        raise ValidationError({"owner": f"the owner must hold the developer or administrator role in "
                                        f"{model.organisation}; {getattr(owner, 'username', owner)} does not"})
    if risk_tier not in ModelRiskRecord.Tier.values:
        raise ValidationError({"risk_tier": f"risk tier must be one of {', '.join(ModelRiskRecord.Tier.values)}"})
    if ModelRiskRecord.objects.filter(model=model).exists():
        raise ValidationError({"model": f"{model.name} is already in the model-risk inventory"})
    with transaction.atomic():
        rec = ModelRiskRecord.objects.create(model=model, owner=owner, risk_tier=risk_tier, purpose=purpose,
                                             updated_by=acting_user)
        record("finance.risk.register", acting_user=acting_user, organisation=model.organisation, obj=rec,
               data={"model": model.name, "owner": owner.get_username(), "risk_tier": risk_tier})
    return rec


def ensure_model_risk(model, *, owner, acting_user, risk_tier="medium", purpose=""):
    """The model's inventory record, registered when it has none (the demo runs again)."""
    return ModelRiskRecord.objects.filter(model=model).first() or register_model_risk(
        model, owner=owner, acting_user=acting_user, risk_tier=risk_tier, purpose=purpose)


def change_status(rec, status, *, acting_user, reason="", validation_months=12):
    """Validation and approval need the approver role (independent review); production
    needs the model's champion alias, which itself was approved by a second person."""
    org = rec.model.organisation
    needs = roles.APPROVE if status in ("approved", "production", "retired") or rec.status == "validation" \
        else roles.DEVELOP
    if acting_user is not None and not access.can(acting_user, needs, org):
        raise PermissionError(f"moving a model to {status!r} needs the "
                              f"{'approver' if needs == roles.APPROVE else 'developer'} role")
    if status not in TRANSITIONS.get(rec.status, set()):
        raise ValidationError({"status": f"a model {rec.status!r} cannot move to {status!r}; allowed: "
                                         f"{', '.join(sorted(TRANSITIONS[rec.status])) or 'none'}"})
    if status == "approved" and acting_user is not None and rec.owner_id == acting_user.pk:
        raise PermissionError("maker-checker: the model's owner cannot approve it")
    if status == "approved" and acting_user is not None and rec.updated_by_id == acting_user.pk:
        # Whoever sent the model to validation is its maker too, whoever they named as owner.
        raise PermissionError("maker-checker: who sent the model to validation cannot approve it")
    if status == "production":
        champion = ModelAlias.objects.filter(model=rec.model, name="champion").first()
        if champion is None or champion.approved_by_id is None:
            raise ValidationError({"status": "going live needs an approved champion version: request the "
                                             "'champion' alias and have another approver approve it"})
    if status == "retired" and not reason:
        raise ValidationError({"reason": "retiring a model needs a reason (the exit record)"})
    with transaction.atomic():
        old = rec.status
        rec.status = status
        if status == "approved":
            today = timezone.now().date()
            rec.last_validated = today
            rec.next_revalidation = _add_months(today, validation_months)
        if status == "retired":
            rec.retired_reason = reason
        rec.updated_by = acting_user
        rec.save()
        record("finance.risk.status", acting_user=acting_user, organisation=org, obj=rec,
               data={"model": rec.model.name, "from": old, "to": status, "reason": reason})
    return rec

