from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for verticals that want prefixed URLs)
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.api.urls")),
    path("", include("core.ui.urls")),
]
