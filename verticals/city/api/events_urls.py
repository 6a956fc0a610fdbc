"""City API: events and rules (mounted by api/urls.py under /api/v1/city/)."""
from django.urls import path

from . import events as views

urlpatterns = [
    path("events/", views.EventList.as_view(), name="city-events"),
    path("events/stats/", views.EventStats.as_view(), name="city-event-stats"),
    path("events/<int:event_id>/", views.EventDetail.as_view(), name="city-event"),
    path("events/<int:event_id>/transition/", views.EventTransitionView.as_view(), name="city-event-transition"),
    path("events/<int:event_id>/evidence.jpg", views.EventEvidence.as_view(), name="city-event-evidence"),
    path("cameras/<int:camera_id>/rules/", views.CameraRules.as_view(), name="city-camera-rules"),
    path("rules/<int:rule_id>/", views.RuleDetail.as_view(), name="city-rule"),
]
