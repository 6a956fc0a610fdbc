"""Login throttling (django-axes) as the platform sees it: which address a login came from,
and an audit event for every failed login and every lockout."""
import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from axes.signals import user_locked_out

from .actions.audit import record


def client_ip(request):
    """The client's address. X-Forwarded-For is read only as far as the configured proxies
    wrote it: the entry the outermost trusted proxy appended, never one the client sent."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count and _is_ip(hops[-count]):
            return hops[-count]
    # None, not a placeholder: axes stores this in an IP address column.
    remote = request.META.get("REMOTE_ADDR")
    return remote if remote and _is_ip(remote) else None


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _who(request, credentials):
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    return {
        "username": str(username)[:150],
        "ip": (getattr(request, "axes_ip_address", None) or client_ip(request) or "") if request is not None else "",
        "path": (request.path if request is not None else "")[:200],
    }


@receiver(user_login_failed, dispatch_uid="zhongtai_login_failed_audit")
def _audit_failed_login(sender, credentials=None, request=None, **kwargs):
    record("auth.login_failed", acting_user=None, object_type="auth.user", data=_who(request, credentials))


@receiver(user_locked_out, dispatch_uid="zhongtai_lockout_audit")
def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    failures = getattr(request, "axes_failures_since_start", None)
    # Attempts during a lockout fire this again (each one extends the cool-off); the event
    # marks the moment the lock begins, the login_failed events count the rest.
    if failures is not None and failures > settings.AXES_FAILURE_LIMIT:
        return
    record("auth.locked_out", acting_user=None, object_type="auth.user",
           data={"username": str(username or "")[:150], "ip": ip_address or "",
                 "failures": failures or settings.AXES_FAILURE_LIMIT,
                 "cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES})
