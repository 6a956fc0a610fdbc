"""The grid pages, mounted by the core at /v/energy/ (namespace "energy")."""
from django.urls import path

from . import views

app_name = "energy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("grids/<int:grid_id>/", views.grid_page, name="grid"),
    path("grids/<int:grid_id>/trip/", views.trip, name="trip"),
]
