"""API tokens: one per user, valid for settings.TOKEN_TTL_HOURS from when it was issued."""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .audit import record


def token_expires_at(token):
    return token.created + timedelta(hours=settings.TOKEN_TTL_HOURS)


def token_expired(token, now=None):
    return (now or timezone.now()) >= token_expires_at(token)


def issue_token(*, acting_user):
    """The user's live token, or a new one when there is none or it has expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=acting_user).first()
        if token is not None and not token_expired(token):
            return token
        rotated = token is not None
        if rotated:
            token.delete()
        token = Token.objects.create(user=acting_user)
        record("auth.token_issued", acting_user=acting_user, object_type="auth.user", object_id=acting_user.pk,
               data={"rotated": rotated, "expires_at": token_expires_at(token).isoformat()})
    return token


def revoke_token(*, acting_user):
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=acting_user).delete()
        if deleted:
            record("auth.token_revoked", acting_user=acting_user, object_type="auth.user", object_id=acting_user.pk)
    return bool(deleted)
