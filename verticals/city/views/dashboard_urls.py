"""City pages: the dashboard (mounted by urls.py under /v/city/)."""
from django.urls import path

from . import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("streams-panel/", dashboard.streams_panel, name="streams-panel"),
]
