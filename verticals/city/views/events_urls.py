"""City pages: events (mounted by urls.py under /v/city/)."""
from django.urls import path

from . import events

urlpatterns = [
    path("events/", events.event_list, name="events"),
    path("events/<int:event_id>/", events.event_detail, name="event"),
    path("events/<int:event_id>/transition/", events.event_transition, name="event-transition"),
]
