"""The grid pages, mounted by the core at /v/energy/ (namespace "energy")."""
from django.urls import path

from . import views

app_name = "energy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("grids/<int:grid_id>/", views.grid_page, name="grid"),
    path("grids/<int:grid_id>/trip/", views.trip, name="trip"),
    path("grids/<int:grid_id>/faults/", views.record_fault, name="record_fault"),
    path("faults/<int:fault_id>/restored/", views.restore_fault, name="restore_fault"),
]
