"""The line-QC pages, mounted by the core at /v/manufacturing/ (namespace "manufacturing")."""
from django.urls import path

from . import views

app_name = "manufacturing"
urlpatterns = [
    path("", views.station_list, name="stations"),
    path("stations/<int:station_id>/", views.station_detail, name="station"),
    path("stations/<int:station_id>/inspect/", views.inspect_images, name="inspect"),
    path("stations/<int:station_id>/feed/", views.feed, name="feed"),
    path("inspections/<int:inspection_id>/image/", views.inspection_image, name="inspection_image"),
    path("inspections/<int:inspection_id>/review/", views.review, name="review"),
]
