from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("deployments", views.DeploymentViewSet, basename="deployment")
urlpatterns = [path("profiles/", views.ProfilesView.as_view(), name="profiles"), *router.urls]
