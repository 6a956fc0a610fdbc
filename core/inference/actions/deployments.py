from django.core.exceptions import ValidationError
from django.db import transaction

from core.hub.actions.lineage import link
from core.hub.models import name_validator
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import Deployment, PredictionRecord


def create_deployment(*, name, organisation, model_version, profile, acting_user, config=None):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not deploy in {organisation}")
    name_validator(name)
    if Deployment.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a deployment named {name!r}"})
    with transaction.atomic():
        dep = Deployment.objects.create(name=name, organisation=organisation, model_version=model_version,
                                        profile=profile, config=config or {}, created_by=acting_user)
        link(model_version, dep, "deployed_as")
        record("deployment.create", acting_user=acting_user, organisation=organisation, obj=dep,
               data={"name": name, "model_version": model_version.pk, "profile": profile})
    return dep


def record_prediction(deployment, *, input_sha256, output, latency_ms, acting_user):
    """Not audited event-by-event (volume); the record and its lineage edge are the trace."""
    with transaction.atomic():
        rec = PredictionRecord.objects.create(
            deployment=deployment, model_version=deployment.model_version, input_sha256=input_sha256,
            output=output, latency_ms=latency_ms,
            requested_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        )
        link(deployment, rec, "served")
    return rec
