"""POST /api/v1/auth/token/: a token for credentials, behind the same login throttling as the
sign-in page; DELETE revokes the caller's token."""
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.platform.actions.tokens import issue_token, revoke_token, token_expires_at
from core.ui.lockout import lockout_response


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


TokenResponse = inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                    "expires_at": serializers.DateTimeField()})


class TokenView(APIView):
    """POST credentials for a token (a fresh one once the old has expired); DELETE revokes yours."""

    def get_authenticators(self):
        # Signing in must work while the client still sends its expired token.
        if self._method() == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._method() == "POST" else [IsAuthenticated()]

    def _method(self):
        # The schema generator builds the view without a request.
        request = getattr(self, "request", None)
        return request.method if request is not None else None

    @extend_schema(request=TokenRequest, responses={200: TokenResponse}, auth=[])
    def post(self, request):
        body = TokenRequest(data=request.data)
        body.is_valid(raise_exception=True)
        # The plain HttpRequest: django-axes keys the attempt on its address and flags a lockout on it.
        user = authenticate(request._request, username=body.validated_data["username"],
                            password=body.validated_data["password"])
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise exceptions.ValidationError({"non_field_errors": [_("Unable to log in with the provided credentials.")]})
        token = issue_token(acting_user=user)
        # A sign-in like the page's, without a session: last_login is set and axes clears the failures.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        revoke_token(acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
