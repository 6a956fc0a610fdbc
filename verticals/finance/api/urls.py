from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("inventory", views.RiskInventoryViewSet, basename="finance-inventory")
urlpatterns = [path("deployments/<int:deployment_id>/score/", views.ScoreView.as_view(), name="finance-score"),
               *router.urls]
