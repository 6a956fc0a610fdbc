"""Mounted by core/api/urls.py at /api/v1/kg/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import qa_views, views

router = SimpleRouter()
router.register("graphs", views.GraphViewSet, basename="kg-graph")
urlpatterns = router.urls + [path("graphs/<int:graph_id>/ask/", qa_views.AskView.as_view(), name="kg-ask")]
