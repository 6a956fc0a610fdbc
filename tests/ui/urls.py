"""The project's URLs plus the login pages, for as long as core/urls.py does not
include core.ui.auth_urls itself (tests/ui/conftest.py switches to this only then)."""
from django.urls import include, path

from core.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("accounts/", include("core.ui.auth_urls")), *project_urlpatterns]
