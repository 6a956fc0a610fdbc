import json
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction

from core.hub.actions.lineage import link
from core.hub.models import name_validator
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import Deployment, PredictionRecord
from ..profiles import UnknownProfile, get_profile, host_problem


def _bundle_formats(model_version):
    """The formats a version's bundle carries, read from its manifest without extracting."""
    from core.hub.storage import get_storage

    try:
        with zipfile.ZipFile(get_storage().local_path(model_version.artifact_id)) as zf:
            return set(json.loads(zf.read("manifest.json")).get("files", {}))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def fitting_profiles(model_version):
    """The profiles this host can serve the version on: its bundle carries the backend's
    format and the profile's device is here. What a one-click deploy offers."""
    from ..backends import get_backend
    from ..profiles import all_profiles

    formats = _bundle_formats(model_version) or set()
    return [p for p in all_profiles().values()
            if get_backend(p.backend).format in formats and host_problem(p) is None]


def create_deployment(*, name, organisation, model_version, profile, acting_user, config=None,
                      check_host=True):
    """check_host=False records a deployment meant for another host (an edge node);
    serving still refuses it wherever the profile's device is absent."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not deploy in {organisation}")
    check_target(model_version, organisation, acting_user)
    name_validator(name)
    try:
        spec = get_profile(profile)
    except UnknownProfile as exc:
        raise ValidationError({"profile": str(exc)}) from None
    if check_host and (problem := host_problem(spec)):
        raise ValidationError({"profile": problem})
    formats = _bundle_formats(model_version)
    if formats is not None:
        from ..backends import get_backend

        needed = get_backend(spec.backend).format
        if needed not in formats:
            raise ValidationError({"profile": f"{model_version} has no {needed} model for profile {profile!r}"})
    if Deployment.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a deployment named {name!r}"})
    with transaction.atomic():
        dep = Deployment.objects.create(name=name, organisation=organisation, model_version=model_version,
                                        profile=profile, config=config or {}, created_by=acting_user)
        link(model_version, dep, "deployed_as")
        record("deployment.create", acting_user=acting_user, organisation=organisation, obj=dep,
               data={"name": name, "model_version": model_version.pk, "profile": profile, "config": config or {}})
    return dep


def check_target(model_version, organisation, acting_user):
    """A version may serve in an organisation that could see its model (its own
    subtree, or published by an ancestor), by a user who can see the model too."""
    from core.hub.queries import visible_models

    model = model_version.model
    if not access.sees(organisation, model.organisation, shared=model.published):
        raise PermissionError(f"{model.name} is not shared with {organisation}; publish it from "
                              f"{model.organisation} or deploy it there")
    if acting_user is not None and not visible_models(acting_user).filter(pk=model.pk).exists():
        raise PermissionError(f"you may not deploy {model.name}")


def ensure_deployment(*, name, organisation, model_version, profile, acting_user, config=None):
    """The organisation's deployment called name, created on model_version when there is none.
    A pipeline run again keeps the deployment it finds, and the version that one serves:
    moving a line to a new version is a person's decision (alias, approval), not a side
    effect of retraining."""
    existing = Deployment.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    return create_deployment(name=name, organisation=organisation, model_version=model_version, profile=profile,
                             acting_user=acting_user, config=config)


def set_status(deployment, status, *, acting_user):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, deployment.organisation):
        raise PermissionError(f"you may not change deployments in {deployment.organisation}")
    if status not in Deployment.Status.values:
        raise ValidationError({"status": f"status must be one of {', '.join(Deployment.Status.values)}"})
    with transaction.atomic():
        deployment.status = status
        deployment.save(update_fields=["status"])
        record(f"deployment.{status}", acting_user=acting_user, organisation=deployment.organisation, obj=deployment)
    return deployment


def record_prediction(deployment, *, input_sha256, output, latency_ms, acting_user):
    """Not audited event by event (volume); the record and its lineage edge are the trace."""
    with transaction.atomic():
        rec = PredictionRecord.objects.create(
            deployment=deployment, model_version=deployment.model_version, input_sha256=input_sha256,
            output=output, latency_ms=latency_ms,
            requested_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        )
        link(deployment, rec, "served")
    return rec
