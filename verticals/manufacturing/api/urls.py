from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("stations", views.StationViewSet, basename="manufacturing-station")
router.register("inspections", views.InspectionViewSet, basename="manufacturing-inspection")
urlpatterns = router.urls
