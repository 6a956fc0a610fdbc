from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import access
from ..lib import roles
from ..models import Membership, Organisation
from .audit import record

ALLOWED_PARENT_KINDS = {
    Organisation.Kind.HQ: {None},
    Organisation.Kind.PROVINCE: {Organisation.Kind.HQ},
    Organisation.Kind.BRANCH: {Organisation.Kind.HQ, Organisation.Kind.PROVINCE},
}


def create_organisation(*, name, code, kind, parent=None, acting_user):
    if parent is not None and acting_user is not None and not access.can(acting_user, roles.MANAGE, parent):
        raise PermissionError("you may not add organisations under this one")
    if kind not in ALLOWED_PARENT_KINDS:
        raise ValidationError({"kind": f"unknown kind {kind!r}"})
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        raise ValidationError({"parent": f"a {kind} cannot sit under {parent_kind or 'nothing'}"})
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError({"code": f"organisation code {code!r} is taken"})
    with transaction.atomic():
        org = Organisation.objects.create(name=name, code=code, kind=kind, parent=parent, path="pending")
        org.path = f"{parent.path if parent else '/'}{org.id}/"
        org.save(update_fields=["path"])
        record("organisation.create", acting_user=acting_user, organisation=org, obj=org,
               data={"name": name, "code": code, "kind": kind, "parent": parent.id if parent else None})
    if acting_user is not None:
        access.forget(acting_user)  # the new organisation joins the creator's subtree
    return org


def grant_role(*, user, organisation, role, acting_user):
    if role not in roles.ROLES:
        raise ValidationError({"role": f"unknown role {role!r}; roles: {', '.join(roles.ROLES)}"})
    if acting_user is not None and not access.can(acting_user, roles.MANAGE, organisation):
        raise PermissionError("you may not grant roles in this organisation")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        if created:
            record("membership.grant", acting_user=acting_user, organisation=organisation, obj=membership,
                   data={"user": user.get_username(), "role": role})
    access.forget(user)
    return membership


def create_user(*, username, password, email="", acting_user, organisation=None, role=None):
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"user {username!r} exists"})
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, email=email)
        record("user.create", acting_user=acting_user, organisation=organisation, obj=user, data={"username": username})
        if organisation is not None and role is not None:
            grant_role(user=user, organisation=organisation, role=role, acting_user=acting_user)
    return user
