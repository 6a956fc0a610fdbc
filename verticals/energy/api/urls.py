"""Mounted by the core at /api/v1/energy/."""
from django.urls import path

from . import diagnosis, views

urlpatterns = [
    path("grids/", views.GridList.as_view(), name="energy-grids"),
    path("grids/<int:grid_id>/outage/", views.OutageView.as_view(), name="energy-outage"),
    path("graphs/<int:graph_id>/diagnose/", diagnosis.DiagnoseView.as_view(), name="energy-diagnose"),
]
