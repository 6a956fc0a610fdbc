from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.hub.storage import ArtifactTooLarge
from core.inference.models import Deployment
from core.platform import access
from core.platform.rest.fields import query_int
from core.platform.rest.parsers import SafeFormParser, SafeJSONParser, SafeMultiPartParser
from core.platform.rest.viewsets import OrganisationScopedViewSet

from ..actions import inspections, reviews, stations
from ..models import Inspection, Station
from ..queries import summary
from .serializers import (
    InspectionSerializer,
    InspectSerializer,
    ReviewSerializer,
    StationCreateSerializer,
    StationSerializer,
    StationSettingsSerializer,
)


class StationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganisationScopedViewSet):
    queryset = Station.objects.select_related("deployment__model_version__model", "organisation")
    serializer_class = StationSerializer
    parser_classes = [SafeJSONParser, SafeMultiPartParser, SafeFormParser]

    @extend_schema(request=StationCreateSerializer, responses=StationSerializer)
    def create(self, request):
        ser = StationCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        self.check_write_in(d["organisation"])
        dep = access.scope(Deployment.objects.filter(pk=d["deployment"]), request.user).select_related(
            "organisation").first()
        if dep is None:
            raise ValidationError({"deployment": [f"no deployment {d['deployment']} visible to you"]})
        station = stations.create_station(code=d["code"], name=d["name"], line=d["line"],
                                         organisation=d["organisation"], deployment=dep,
                                         reject_threshold=d["reject_threshold"], guard_level=d["guard_level"],
                                         acting_user=request.user)
        return Response(StationSerializer(station).data, status=201)

    @extend_schema(request=StationSettingsSerializer, responses=StationSerializer)
    def partial_update(self, request, pk=None):
        station = self.get_object()
        self.check_write(station)
        ser = StationSettingsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        # One transaction: a bad guard level leaves the threshold as it was.
        with transaction.atomic():
            if "reject_threshold" in d:
                station = stations.set_threshold(station, d["reject_threshold"], acting_user=request.user)
            if "guard_level" in d:
                station = stations.set_guard(station, d["guard_level"], acting_user=request.user)
            if "display_threshold" in d:
                station = stations.set_display_threshold(station, d["display_threshold"], acting_user=request.user)
        return Response(StationSerializer(station).data)

    @extend_schema(request={"multipart/form-data": InspectSerializer}, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        if int(request.META.get("CONTENT_LENGTH") or 0) > inspections.MAX_IMAGE_BYTES + 64 * 1024:
            raise ArtifactTooLarge(f"image exceeds the {inspections.MAX_IMAGE_BYTES} byte limit")
        station = self.get_object()
        ser = InspectSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["image"]
        inspection, result = inspections.inspect(station, upload.read(), acting_user=request.user,
                                             source=upload.name or "", truth=ser.validated_data.get("truth", ""))
        body = InspectionSerializer(inspection).data
        body["detections"] = result["detections"]
        body["model"] = result["model_version"]
        return Response(body, status=201)

    @extend_schema(parameters=[OpenApiParameter("hours", int)], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        hours = query_int(request, "hours", default=24, minimum=1, maximum=24 * 90)
        return Response(summary(self.get_object(), hours=hours))


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganisationScopedViewSet):
    queryset = Inspection.objects.select_related("station")
    organisation_field = "station__organisation"
    serializer_class = InspectionSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("station"):
            qs = qs.filter(station__code=p["station"])
        if p.get("verdict"):
            qs = qs.filter(verdict=p["verdict"])
        return qs

    @extend_schema(parameters=[OpenApiParameter("station", str, description="station code"),
                               OpenApiParameter("verdict", str, enum=Inspection.Verdict.values)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ReviewSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        ser = ReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        inspection = reviews.review(self.get_object(), truth=ser.validated_data["truth"],
                                    note=ser.validated_data["note"], acting_user=request.user)
        return Response(InspectionSerializer(inspection).data)
