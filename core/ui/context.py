from core.platform.verticals import registry

from .scope import can_read_audit


def platform(request):
    user = getattr(request, "user", None)
    return {
        "zt_verticals": list(registry["verticals"].values()),
        "zt_menu": registry["menu"],
        "zt_can_audit": bool(user is not None and can_read_audit(user)),
    }
