"""The city API, mounted by the core at /api/v1/city/: one router over the viewsets.
An event's evidence frame keeps its file-like name (no trailing slash), so it is routed
beside the router."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from .cameras import CameraViewSet
from .compute_pools import AlgorithmViewSet, PoolViewSet, UtilisationViewSet
from .events import EventViewSet
from .map import CameraPointViewSet, EventPointViewSet, LayerViewSet, SensorPointViewSet
from .rules import RuleViewSet

router = SimpleRouter()
router.register("cameras", CameraViewSet, basename="city-camera")
router.register("rules", RuleViewSet, basename="city-rule")
router.register("events", EventViewSet, basename="city-event")
router.register("map/layers", LayerViewSet, basename="city-map-layer")
router.register("map/cameras", CameraPointViewSet, basename="city-map-cameras")
router.register("map/sensors", SensorPointViewSet, basename="city-map-sensors")
router.register("map/events", EventPointViewSet, basename="city-map-events")
router.register("scheduler/pools", PoolViewSet, basename="city-scheduler-pool")
router.register("scheduler/algorithms", AlgorithmViewSet, basename="city-scheduler-algorithm")
router.register("scheduler/utilisation", UtilisationViewSet, basename="city-scheduler-utilisation")

urlpatterns = [
    path("events/<int:pk>/evidence.jpg", EventViewSet.as_view({"get": "evidence"}), name="city-event-evidence"),
    *router.urls,
]
