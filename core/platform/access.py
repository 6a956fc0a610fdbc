"""Who may see and do what, by organisation subtree. Every API, page, job input and
deployment target filters through `scope` (querysets) and `can` / `sees` (single
objects); nothing else decides access."""
from functools import reduce
from operator import or_

from django.db.models import Q

from .lib import roles
from .models import Membership, Organisation


def _memberships(user):
    cache = getattr(user, "_zt_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._zt_memberships = cache
    return cache


def orgs_with(user, capability=roles.READ):
    """Organisations (queryset) where `user` holds `capability`: the subtrees under
    each membership whose role grants it."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    allowed = roles.roles_granting(capability)
    paths = {m.organisation.path for m in _memberships(user) if m.role in allowed}
    if not paths:
        return Organisation.objects.none()
    return Organisation.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def org_ids_with(user, capability=roles.READ):
    cache = getattr(user, "_zt_org_ids", None)
    if cache is None:
        cache = user._zt_org_ids = {}
    if capability not in cache:
        cache[capability] = set(orgs_with(user, capability).values_list("id", flat=True))
    return cache[capability]


def can(user, capability, organisation) -> bool:
    if user and user.is_authenticated and user.is_superuser:
        return True
    if organisation is None:
        return False
    return organisation.id in org_ids_with(user, capability)


def require(user, capability, organisation, what):
    """PermissionError("you may not <what> in <organisation>") unless `user` may; a write with
    no user (a system task, the demo seed) is not checked."""
    if user is not None and not can(user, capability, organisation):
        raise PermissionError(f"you may not {what} in {organisation}")


def scope(queryset, user, capability=roles.READ, field="organisation", shared=None):
    """The rows of `queryset` whose organisation (reached through `field`, e.g.
    "camera__organisation") lies in a subtree where `user` holds `capability`.
    `shared` names a boolean field (e.g. "published"): rows with it set are also
    visible to users below their organisation, never to siblings."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset.all()
    own = org_ids_with(user, capability)
    rule = Q(**{f"{field}__in": own})
    if shared is not None and capability == roles.READ:
        above = ancestor_org_ids(user) - own
        if above:
            rule |= Q(**{f"{field}__in": above, shared: True})
    return queryset.filter(rule)


def sees(organisation, owner, shared=False) -> bool:
    """Whether an organisation (not a user) may see an object owned by `owner`: it is
    in its own subtree, or shared by an ancestor. What a deployment target and a
    job's organisation are held to."""
    if organisation is None or owner is None:
        return False
    if owner.path.startswith(organisation.path):
        return True
    return bool(shared) and organisation.path.startswith(owner.path)


def in_line(organisation, owner) -> bool:
    """Data may flow down the tree (HQ data trains a branch model) and up (HQ trains
    on a branch's data), never sideways between siblings."""
    if organisation is None or owner is None:
        return False
    return organisation.path.startswith(owner.path) or owner.path.startswith(organisation.path)


def ancestor_org_ids(user):
    """Ids of the organisations above the user's own: models they publish are shared down."""
    ids = set()
    for m in _memberships(user) if user.is_authenticated else []:
        ids.update(m.organisation.ancestor_ids())
    return ids


def roles_of(user):
    if user.is_superuser:
        return set(roles.ROLES)
    return {m.role for m in _memberships(user)}


def forget(user):
    """Drop the per-request caches (tests and actions that change memberships)."""
    for attr in ("_zt_memberships", "_zt_org_ids"):
        if hasattr(user, attr):
            delattr(user, attr)
