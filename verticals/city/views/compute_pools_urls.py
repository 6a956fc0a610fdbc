"""City pages: scheduler (mounted by urls.py under /v/city/)."""
from django.urls import path

from . import compute_pools as scheduler

urlpatterns = [
    path("scheduler/", scheduler.scheduler_page, name="scheduler"),
    path("scheduler/utilisation/", scheduler.utilisation_panel, name="scheduler-utilisation"),
]
