from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("audit/events", views.AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("verticals/", views.VerticalsView.as_view(), name="verticals"),
    path("audit/public-key/", views.SigningKeyView.as_view(), name="audit-public-key"),
    *router.urls,
]
