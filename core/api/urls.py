"""Mounts the core APIs under /api/v1/ and each installed vertical's api/urls.py
under /api/v1/<slug>/ (optional for a vertical)."""
import importlib

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from core.api.docs import RedocView, SwaggerView
from core.api.token_view import TokenView
from core.platform.verticals import registry

app_name = "api"

v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("", include("core.platform.api.urls")),
    path("", include("core.hub.api.urls")),
    path("", include("core.data.api.urls")),
    path("", include("core.training.api.urls")),
    path("", include("core.inference.api.urls")),
    path("kg/", include("core.kg.api.urls")),
]
for slug, vertical in registry["verticals"].items():
    try:
        importlib.import_module(f"{vertical.name}.api.urls")
    except ModuleNotFoundError as exc:
        if exc.name in (f"{vertical.name}.api", f"{vertical.name}.api.urls"):
            continue
        raise
    v1.append(path(f"{slug}/", include(f"{vertical.name}.api.urls")))

urlpatterns = [
    path("api/v1/", include(v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("api/redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
]
