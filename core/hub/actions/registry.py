"""Models, versions, aliases and the maker-checker flow for protected aliases."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles
from core.platform.verticals import aliases_requiring_approval, registry

from ..models import AliasChangeRequest, ModelAlias, ModelVersion, RegisteredModel
from ..models import name_validator


def create_model(*, name, organisation, acting_user, title="", vertical="", model_type="", description="",
                 published=False, tags=None):
    access.require(acting_user, roles.DEVELOP, organisation, "create models")
    name_validator(name)
    if vertical and vertical not in registry["verticals"]:
        raise ValidationError({"vertical": f"no installed vertical {vertical!r}"})
    if model_type and vertical and f"{vertical}.{model_type}" not in registry["model_types"]:
        raise ValidationError({"model_type": f"vertical {vertical!r} declares no model type {model_type!r}"})
    if RegisteredModel.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a model named {name!r}"})
    with transaction.atomic():
        model = RegisteredModel.objects.create(
            name=name, title=title, organisation=organisation, vertical=vertical, model_type=model_type,
            description=description, published=published, tags=tags or {}, created_by=acting_user,
        )
        record("model.create", acting_user=acting_user, organisation=organisation, obj=model,
               data={"name": name, "vertical": vertical, "model_type": model_type, "published": published})
    return model


def ensure_model(*, name, organisation, **fields):
    """The organisation's model of that name, created with `fields` the first time: what a
    pipeline that registers a version on every run needs."""
    return RegisteredModel.objects.filter(organisation=organisation, name=name).first() or create_model(
        name=name, organisation=organisation, **fields)


def set_published(model, published, *, acting_user):
    access.require(acting_user, roles.DEVELOP, model.organisation, "share models")
    with transaction.atomic():
        model.published = bool(published)
        model.save(update_fields=["published"])
        record("model.publish" if published else "model.unpublish", acting_user=acting_user,
               organisation=model.organisation, obj=model)
    return model


def create_version(model, *, artifact, acting_user, metrics=None, params=None, tags=None, description="",
                   lineage_from=()):
    """A new immutable version. lineage_from: (node, relation) pairs it derives from,
    e.g. [(training_run, "produced")]."""
    from .lineage import link

    access.require(acting_user, roles.DEVELOP, model.organisation, "add versions")
    for key, value in (metrics or {}).items():
        if not isinstance(value, (int, float, dict, list, str)) or isinstance(value, bool):
            raise ValidationError({"metrics": f"metric {key!r} must be a number, text, list or object"})
    with transaction.atomic():
        # Lock the model row so concurrent registrations get distinct numbers.
        RegisteredModel.objects.select_for_update().filter(pk=model.pk).first()
        current = model.versions.aggregate(m=Max("version"))["m"] or 0
        version = ModelVersion.objects.create(
            model=model, version=current + 1, artifact=artifact, metrics=metrics or {}, params=params or {},
            tags=tags or {}, description=description, created_by=acting_user,
        )
        for node, relation in lineage_from:
            link(node, version, relation)
        _hold_for_model(artifact, model, acting_user)
        record("model_version.create", acting_user=acting_user, organisation=model.organisation, obj=version,
               data={"model": model.name, "version": version.version, "artifact": artifact.sha256,
                     "metrics": metrics or {}})
    return version


def _hold_for_model(artifact, model, acting_user):
    """A version's artifact is shown under its model organisation's own record, so an
    organisation below that sees the version never sees who else holds the bytes."""
    from .artifacts import hold

    known = access.scope(artifact.holdings.all(), acting_user).first() if acting_user is not None else None
    hold(artifact, organisation=model.organisation, acting_user=acting_user,
         filename=known.filename if known else "", content_type=known.content_type if known else "")


def request_alias(model, *, alias, version, acting_user, reason=""):
    """Point `alias` at `version`. Protected aliases (per the model's vertical) only
    get a pending request that someone else must approve; others move at once.
    Returns (alias_or_None, request_or_None)."""
    access.require(acting_user, roles.DEVELOP, model.organisation, "move aliases")
    name_validator(alias)
    if version.model_id != model.pk:
        raise ValidationError({"version": f"version {version.pk} belongs to another model"})
    if alias in aliases_requiring_approval(model.vertical):
        with transaction.atomic():
            if AliasChangeRequest.objects.filter(model=model, alias=alias, version=version,
                                                 status=AliasChangeRequest.Status.PENDING).exists():
                raise ValidationError({"alias": f"a request to move {alias!r} to v{version.version} is already pending"})
            req = AliasChangeRequest.objects.create(model=model, alias=alias, version=version,
                                                    requested_by=acting_user, reason=reason)
            record("alias.request", acting_user=acting_user, organisation=model.organisation, obj=req,
                   data={"model": model.name, "alias": alias, "version": version.version, "reason": reason})
        return None, req
    with transaction.atomic():
        moved = _move_alias(model, alias, version, updated_by=acting_user, approved_by=None)
        record("alias.set", acting_user=acting_user, organisation=model.organisation, obj=moved,
               data={"model": model.name, "alias": alias, "version": version.version})
    return moved, None


def _move_alias(model, alias, version, *, updated_by, approved_by):
    obj, _ = ModelAlias.objects.update_or_create(
        model=model, name=alias, defaults={"version": version, "updated_by": updated_by, "approved_by": approved_by}
    )
    return obj


def decide_alias_request(req, *, approve, acting_user, comment=""):
    """The checker's step: a different person with the approver role decides."""
    with transaction.atomic():
        req = AliasChangeRequest.objects.select_for_update().select_related("model", "version").get(pk=req.pk)
        model = req.model
        access.require(acting_user, roles.APPROVE, model.organisation, "approve alias changes")
        if req.status != AliasChangeRequest.Status.PENDING:
            raise ValidationError({"status": f"request {req.pk} is already {req.status}"})
        if acting_user is not None and req.requested_by_id == acting_user.pk:
            raise PermissionError("maker-checker: you cannot decide your own request")
        req.status = AliasChangeRequest.Status.APPROVED if approve else AliasChangeRequest.Status.REJECTED
        req.decided_by = acting_user
        req.decided_at = timezone.now()
        req.comment = comment
        req.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        data = {"model": model.name, "alias": req.alias, "version": req.version.version,
                "requested_by": req.requested_by.get_username(), "comment": comment}
        if approve:
            moved = _move_alias(model, req.alias, req.version, updated_by=req.requested_by, approved_by=acting_user)
            record("alias.approve", acting_user=acting_user, organisation=model.organisation, obj=moved, data=data)
        else:
            record("alias.reject", acting_user=acting_user, organisation=model.organisation, obj=req, data=data)
    return req
