"""Mounted by the core at /api/v1/energy/."""
from django.urls import path

from . import diagnosis, faults, views

urlpatterns = [
    path("grids/", views.GridList.as_view(), name="energy-grids"),
    path("grids/<int:grid_id>/outage/", views.OutageView.as_view(), name="energy-outage"),
    path("grids/<int:grid_id>/faults/", faults.GridFaults.as_view(), name="energy-grid-faults"),
    path("faults/", faults.FaultList.as_view(), name="energy-faults"),
    path("faults/<int:fault_id>/", faults.FaultDetail.as_view(), name="energy-fault"),
    path("faults/<int:fault_id>/clear/", faults.ClearFault.as_view(), name="energy-fault-clear"),
    path("graphs/<int:graph_id>/diagnose/", diagnosis.DiagnoseView.as_view(), name="energy-diagnose"),
]
