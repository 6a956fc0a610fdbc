"""Read-side filters: which hub objects a user may see."""
from django.db.models import Q

from core.platform import access
from core.platform.lib import roles

from .models import Artifact, ModelVersion, RegisteredModel


def visible_models(user):
    """Models owned inside the user's subtrees, plus models published by an
    organisation above them (HQ -> branch sharing). Siblings stay invisible."""
    own = access.org_ids_with(user, roles.READ)
    above = access.ancestor_org_ids(user) - own
    return RegisteredModel.objects.filter(Q(organisation_id__in=own) | Q(organisation_id__in=above, published=True))


def visible_versions(user):
    return ModelVersion.objects.filter(model__in=visible_models(user))


def visible_artifacts(user):
    own = access.org_ids_with(user, roles.READ)
    return Artifact.objects.filter(Q(organisation_id__in=own) | Q(model_versions__in=visible_versions(user))).distinct()


def can_see_node(user, kind, org_id, obj=None):
    if kind == "model_version" and obj is not None:
        return visible_models(user).filter(pk=obj.model_id).exists()
    return org_id in access.org_ids_with(user, roles.READ)
