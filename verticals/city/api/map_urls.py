"""City API: map (mounted by api/urls.py under /api/v1/city/)."""
from django.urls import path

from . import map as views

urlpatterns = [
    path("map/layers/", views.LayerList.as_view(), name="city-map-layers"),
    path("map/layers/<slug:name>/features/", views.LayerFeatures.as_view(), name="city-map-features"),
    path("map/cameras/", views.CameraPoints.as_view(), name="city-map-cameras"),
    path("map/sensors/", views.SensorPoints.as_view(), name="city-map-sensors"),
    path("map/events/", views.EventPoints.as_view(), name="city-map-events"),
]
