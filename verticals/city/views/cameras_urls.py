"""City pages: cameras (mounted by urls.py under /v/city/)."""
from django.urls import path

from . import cameras

urlpatterns = [
    path("cameras/", cameras.camera_list, name="cameras"),
    path("cameras/<int:camera_id>/", cameras.camera_detail, name="camera"),
]
