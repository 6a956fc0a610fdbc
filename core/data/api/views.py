from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.hub.queries import visible_artifacts
from core.hub.storage import ArtifactTooLarge
from core.platform import access
from core.platform.lib import roles
from core.platform.rest.parsers import SafeMultiPartParser

from ..actions import importers
from ..actions.datasets import add_version, create_dataset
from ..models import Dataset
from .serializers import (
    CocoImportSerializer,
    DatasetSerializer,
    DatasetVersionCreateSerializer,
    DatasetVersionSerializer,
    TableImportSerializer,
)


class DatasetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = DatasetSerializer

    def get_queryset(self):
        return access.scope(Dataset.objects.all(), self.request.user).select_related("organisation")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = create_dataset(name=d["name"], organisation=d["organisation"], kind=d["kind"],
                                             vertical=d.get("vertical", ""), description=d.get("description", ""),
                                             acting_user=self.request.user)

    @extend_schema(methods=["GET"], responses=DatasetVersionSerializer(many=True))
    @extend_schema(methods=["POST"], request=DatasetVersionCreateSerializer, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # GET answers the whole list
    def versions(self, request, pk=None):
        ds = self.get_object()
        if request.method == "GET":
            return Response(DatasetVersionSerializer(ds.versions.all(), many=True).data)
        ser = DatasetVersionCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        artifact = visible_artifacts(request.user).filter(sha256=ser.validated_data["artifact"]).first()
        if artifact is None:
            raise ValidationError({"artifact": ["no such artifact visible to you; upload it first"]})
        dv = add_version(ds, artifact=artifact, acting_user=request.user,
                         num_records=ser.validated_data["num_records"], source=ser.validated_data["source"])
        return Response(DatasetVersionSerializer(dv).data, status=201)

    @extend_schema(request={"multipart/form-data": CocoImportSerializer}, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["post"], url_path="import-coco", parser_classes=[SafeMultiPartParser])
    def import_coco(self, request, pk=None):
        ds = self.get_object()
        # Both checks come before the body is read: a refused upload is never spooled to disk.
        if not access.can(request.user, roles.DEVELOP, ds.organisation):
            raise PermissionError(f"you may not add dataset versions in {ds.organisation}")
        max_upload = importers.limit("DATA_IMPORT_MAX_UPLOAD_BYTES")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # the multipart parser refuses a garbled body on its own
        if declared > max_upload + 64 * 1024:  # slack for the multipart envelope
            raise ArtifactTooLarge(f"upload of {declared} bytes exceeds the {max_upload} byte limit "
                                   f"for a dataset import")
        ser = CocoImportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        if upload.size > max_upload:
            raise ArtifactTooLarge(f"upload of {upload.size} bytes exceeds the {max_upload} byte limit "
                                   f"for a dataset import")
        label = ser.validated_data["source"] or f"COCO zip {upload.name!r} uploaded by {request.user.get_username()}"
        dv = importers.import_coco(upload, dataset=ds, acting_user=request.user, source_label=label)
        return Response(DatasetVersionSerializer(dv).data, status=201)

    @extend_schema(request={"multipart/form-data": TableImportSerializer}, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["post"], url_path="import-table", parser_classes=[SafeMultiPartParser])
    def import_table(self, request, pk=None):
        """A CSV or Parquet file as a new version of a tabular dataset."""
        from ..actions.tables import import_table

        ds = self.get_object()
        if not access.can(request.user, roles.DEVELOP, ds.organisation):
            raise PermissionError(f"you may not add dataset versions in {ds.organisation}")
        max_upload = importers.limit("DATA_IMPORT_MAX_UPLOAD_BYTES")
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if str(
            request.META.get("CONTENT_LENGTH") or "0").isdigit() else 0
        if declared > max_upload + 64 * 1024:
            raise ArtifactTooLarge(f"upload of {declared} bytes exceeds the {max_upload} byte limit")
        ser = TableImportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        if upload.size > max_upload:
            raise ArtifactTooLarge(f"upload of {upload.size} bytes exceeds the {max_upload} byte limit")
        dv = import_table(upload.read(), dataset=ds, filename=upload.name or "table.csv", acting_user=request.user,
                          source=ser.validated_data["source"] or f"table {upload.name!r}",
                          encoding=ser.validated_data.get("encoding"))
        return Response(DatasetVersionSerializer(dv).data, status=201)
