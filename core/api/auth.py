"""API authentication: tokens that expire after settings.TOKEN_TTL_HOURS. Kept apart from the
token endpoint (core/api/token_view.py) because DRF imports this while its views load."""
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from core.platform.actions.tokens import token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("token expired; obtain a new one from /api/v1/auth/token/"))
        return user, token
