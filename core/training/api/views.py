from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.platform import access

from ..actions.jobs import cancel_job, submit_job
from ..actions.reproduce import report as reproduction_report
from ..actions.reproduce import reproduce
from ..models import Job, TrainingRun
from ..registry import trainer_names
from .serializers import JobCreateSerializer, JobSerializer, TrainingRunSerializer


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer

    def get_queryset(self):
        qs = access.scope(Job.objects.all(), self.request.user)
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs.select_related("organisation", "started_by").prefetch_related("runs")

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Job.Status.values)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=JobCreateSerializer, responses=JobSerializer)
    def create(self, request):
        ser = JobCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        trainer = d["trainer"]
        job = submit_job(trainer=trainer, organisation=d["organisation"], acting_user=request.user,
                         params=d["params"], max_retries=d["max_retries"])
        return Response(JobSerializer(job).data, status=201)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(JobSerializer(cancel_job(self.get_object(), acting_user=request.user)).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def reproduction(self, request, pk=None):
        """Compare a reproduction job's artifact hash and metrics with the original run's."""
        return Response(reproduction_report(self.get_object()))


class TrainingRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TrainingRunSerializer

    def get_queryset(self):
        return access.scope(TrainingRun.objects.all(), self.request.user,
                            field="job__organisation").select_related("job")

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def reproduce(self, request, pk=None):
        """Re-run this training run from its recorded inputs as a new job."""
        return Response(JobSerializer(reproduce(self.get_object(), acting_user=request.user)).data, status=201)


class TrainersView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response({"results": trainer_names()})
