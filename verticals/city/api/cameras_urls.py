"""City API: cameras (mounted by api/urls.py under /api/v1/city/)."""
from django.urls import path

from . import cameras as views

urlpatterns = [
    path("cameras/", views.CameraList.as_view(), name="city-cameras"),
    path("cameras/<int:camera_id>/", views.CameraDetail.as_view(), name="city-camera"),
    path("cameras/<int:camera_id>/run/", views.CameraRun.as_view(), name="city-camera-run"),
    path("cameras/<int:camera_id>/records/", views.CameraRecords.as_view(), name="city-camera-records"),
    path("cameras/<int:camera_id>/runs/", views.CameraRuns.as_view(), name="city-camera-runs"),
]
