"""Mounted by the core at /api/v1/energy/."""
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("grids", views.GridViewSet, basename="energy-grid")
router.register("faults", views.FaultViewSet, basename="energy-fault")
router.register("graphs", views.GraphViewSet, basename="energy-graph")
urlpatterns = router.urls
