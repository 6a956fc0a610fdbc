from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("inventory", views.RiskInventoryViewSet, basename="finance-inventory")
router.register("deployments", views.ScorecardDeploymentViewSet, basename="finance-deployment")
urlpatterns = router.urls
