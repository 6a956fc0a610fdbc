"""The city pages, mounted by the core at /v/city/ (namespace "city")."""
from django.urls import path

from .views import cameras, compute_pools, dashboard, events
from .views import map as map_views

app_name = "city"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("streams-panel/", dashboard.streams_panel, name="streams-panel"),
    path("cameras/", cameras.camera_list, name="cameras"),
    path("cameras/<int:camera_id>/", cameras.camera_detail, name="camera"),
    path("events/", events.event_list, name="events"),
    path("events/<int:event_id>/", events.event_detail, name="event"),
    path("events/<int:event_id>/transition/", events.event_transition, name="event-transition"),
    path("map/", map_views.map_page, name="map"),
    path("scheduler/", compute_pools.scheduler_page, name="scheduler"),
    path("scheduler/utilisation/", compute_pools.utilisation_panel, name="scheduler-utilisation"),
]
