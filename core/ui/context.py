from core.platform.verticals import registry

from .scope import can_read_audit


def platform(request):
    user = getattr(request, "user", None)
    verticals = list(registry["verticals"].values())
    menu = registry["menu"]
    return {
        "zt_verticals": verticals,
        "zt_menu": menu,
        # The menu grouped under each vertical's title, in installation order.
        "zt_apps": [(v, menu[v.slug]) for v in verticals if menu.get(v.slug)],
        "zt_can_audit": bool(user is not None and can_read_audit(user)),
    }
