from core.platform.verticals import registry


def platform(request):
    return {"zt_verticals": list(registry["verticals"].values()), "zt_menu": registry["menu"]}
