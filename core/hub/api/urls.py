from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("artifacts", views.ArtifactViewSet, basename="artifact")
router.register("models", views.ModelViewSet, basename="model")
router.register("versions", views.VersionViewSet, basename="version")
router.register("alias-requests", views.AliasRequestViewSet, basename="alias-request")

urlpatterns = [
    path("lineage/<str:kind>/<int:pk>/", views.LineageView.as_view(), name="lineage"),
    *router.urls,
]
