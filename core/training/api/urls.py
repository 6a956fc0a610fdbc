from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("jobs", views.JobViewSet, basename="job")
router.register("training-runs", views.TrainingRunViewSet, basename="training-run")
urlpatterns = [path("trainers/", views.TrainersView.as_view(), name="trainers"), *router.urls]
