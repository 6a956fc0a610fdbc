from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.hub.queries import visible_versions
from core.hub.storage import ArtifactTooLarge
from core.platform import access
from core.platform.rest.parsers import SafeFormParser, SafeJSONParser, SafeMultiPartParser

from ..actions.deployments import create_deployment, set_status
from ..actions.predict import predict
from ..models import Deployment, PredictionRecord
from ..profiles import all_profiles, host_problem
from .serializers import (
    DeploymentCreateSerializer,
    DeploymentSerializer,
    PredictionSerializer,
    PredictSerializer,
    StatusSerializer,
)


class DeploymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DeploymentSerializer
    parser_classes = [SafeJSONParser, SafeMultiPartParser, SafeFormParser]

    def get_queryset(self):
        return access.scope(Deployment.objects.all(), self.request.user).select_related(
            "organisation", "model_version__model")

    @extend_schema(request=DeploymentCreateSerializer, responses=DeploymentSerializer)
    def create(self, request):
        ser = DeploymentCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        version = visible_versions(request.user).filter(pk=d["model_version"]).select_related("artifact").first()
        if version is None:
            raise ValidationError({"model_version": [f"no model version {d['model_version']} visible to you"]})
        dep = create_deployment(name=d["name"], organisation=d["organisation"], model_version=version,
                                profile=d["profile"], config=d["config"], acting_user=request.user)
        return Response(DeploymentSerializer(dep).data, status=201)

    @extend_schema(request=StatusSerializer, responses=DeploymentSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        ser = StatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        dep = set_status(self.get_object(), ser.validated_data["status"], acting_user=request.user)
        return Response(DeploymentSerializer(dep).data)

    @extend_schema(request={"multipart/form-data": PredictSerializer, "application/json": PredictSerializer},
                   responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def predict(self, request, pk=None):
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = getattr(settings, "PREDICT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
        if declared > limit:
            raise ArtifactTooLarge(f"request of {declared} bytes exceeds the {limit} byte limit for predictions")
        dep = self.get_object()
        ser = PredictSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if "image" in ser.validated_data:
            upload = ser.validated_data["image"]
            if upload.size > limit:
                raise ArtifactTooLarge(f"image of {upload.size} bytes exceeds the {limit} byte limit")
            return Response(predict(dep, {"image": upload.read()}, acting_user=request.user))
        inputs = {k: v for k, v in ser.validated_data.items() if k != "image"}
        return Response(predict(dep, inputs, acting_user=request.user))

    @action(detail=True, methods=["get"])
    def predictions(self, request, pk=None):
        page = self.paginate_queryset(PredictionRecord.objects.filter(deployment=self.get_object()))
        return self.get_paginated_response(PredictionSerializer(page, many=True).data)


class ProfilesView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        out = []
        for profile in all_profiles().values():
            problem = host_problem(profile)
            out.append({**profile.as_dict(), "available": problem is None, "reason": problem})
        return Response({"results": out})
