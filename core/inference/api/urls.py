from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("deployments", views.DeploymentViewSet, basename="deployment")
urlpatterns = router.urls
