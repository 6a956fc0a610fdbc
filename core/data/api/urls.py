from rest_framework.routers import SimpleRouter

from . import labelling, views

router = SimpleRouter()
router.register("datasets", views.DatasetViewSet, basename="dataset")
router.register("label-projects", labelling.LabelProjectViewSet, basename="label-project")
router.register("label-tasks", labelling.LabelTaskViewSet, basename="label-task")
urlpatterns = router.urls
