"""What a locked-out client sees (settings.AXES_LOCKOUT_CALLABLE): 429 with a JSON error on
the API, the sign-in page with the reason elsewhere. Both say when to try again."""
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message():
    return _("Too many failed sign-ins for this user from this address; try again in %(minutes)d minutes.") % {
        "minutes": settings.LOGIN_COOLOFF_MINUTES}


def lockout_response(request, original_response=None, credentials=None):
    message = lockout_message()
    retry_after = str(settings.LOGIN_COOLOFF_MINUTES * 60)
    if request.path.startswith("/api/"):
        response = JsonResponse({"message": message, "status": 429}, status=429)
    else:
        response = render(request, "ui/login.html",
                          {"form": AuthenticationForm(request), "lockout": message,
                           "next": request.POST.get("next", "")}, status=429)
    response["Retry-After"] = retry_after
    return response
