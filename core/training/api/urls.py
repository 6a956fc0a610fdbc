from django.urls import path
from rest_framework.routers import SimpleRouter

from . import studies, views

router = SimpleRouter()
router.register("jobs", views.JobViewSet, basename="job")
router.register("training-runs", views.TrainingRunViewSet, basename="training-run")
router.register("studies", studies.StudyViewSet, basename="study")
urlpatterns = [path("trainers/", views.TrainersView.as_view(), name="trainers"),
               path("recipes/", studies.RecipesView.as_view(), name="recipes"), *router.urls]
