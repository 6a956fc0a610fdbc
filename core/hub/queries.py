"""Read-side filters: which hub objects a user may see, all through access.scope."""
from django.db.models import F, Q

from core.platform import access

from .models import Artifact, ArtifactHolding, Evaluation, ModelVersion, RegisteredModel


def visible_models(user):
    """Models owned inside the user's subtrees, plus models published by an
    organisation above them (HQ -> branch sharing). Siblings stay invisible."""
    return access.scope(RegisteredModel.objects.all(), user, shared="published")


def visible_versions(user):
    return ModelVersion.objects.filter(model__in=visible_models(user))


def visible_evaluations(user):
    """Evaluations of the versions the user may see: whoever sees a version sees how it did."""
    return Evaluation.objects.filter(model_version__in=visible_versions(user))


def visible_holdings(user):
    """The organisations' records of artifacts a user may see: those of their own
    subtrees, and the record a visible model's organisation keeps of its versions'
    artifacts. Never another organisation's record of the same bytes."""
    own = access.scope(ArtifactHolding.objects.all(), user)
    via_versions = ArtifactHolding.objects.filter(
        artifact__model_versions__model__in=visible_models(user),
        organisation_id=F("artifact__model_versions__model__organisation_id"))
    return ArtifactHolding.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=via_versions.values("pk")))


def visible_artifacts(user):
    return Artifact.objects.filter(holdings__in=visible_holdings(user)).distinct()


def holding_for(user, sha256):
    """The record of `sha256` to show `user`: the one nearest the top of their tree."""
    return (visible_holdings(user).filter(artifact_id=sha256).select_related("artifact", "organisation")
            .order_by("organisation__path", "id").first())

