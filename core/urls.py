import importlib

from django.contrib import admin
from django.urls import include, path

from core.platform.verticals import registry

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("core.ui.auth_urls")),
    path("", include("core.api.urls")),
    path("kg/", include("core.kg.urls")),
    path("", include("core.ui.urls")),
]

# Each installed vertical's pages (its optional urls.py) live under /v/<slug>/, namespace <slug>.
for _slug, _vertical in registry["verticals"].items():
    try:
        importlib.import_module(f"{_vertical.name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_vertical.name}.urls":
            raise
        continue
    urlpatterns.append(path(f"v/{_slug}/", include((f"{_vertical.name}.urls", _slug))))


def handler404(request, exception=None):
    from django.views.defaults import page_not_found

    from core.api.errors import api_not_found

    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return page_not_found(request, exception)


def handler500(request):
    from django.views.defaults import server_error

    from core.api.errors import api_server_error

    if request.path.startswith("/api/"):
        return api_server_error(request)
    return server_error(request)
