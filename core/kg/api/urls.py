"""Mounted by core/api/urls.py at /api/v1/kg/."""
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("graphs", views.GraphViewSet, basename="kg-graph")
urlpatterns = router.urls
