"""City pages: map (mounted by urls.py under /v/city/)."""
from django.urls import path

from . import map as views

urlpatterns = [
    path("map/", views.map_page, name="map"),
]
