from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.hub.queries import visible_artifacts
from core.hub.storage import ArtifactTooLarge
from core.platform import access
from core.platform.lib import roles
from core.platform.rest.parsers import SafeMultiPartParser

from .. import exports, gallery
from ..actions import importers
from ..actions.datasets import add_version, create_dataset
from ..lib.samples import STATES, diff
from ..materialize import NotADataset
from ..queries import visible_datasets
from .serializers import (
    CocoImportSerializer,
    DatasetSerializer,
    DatasetVersionCreateSerializer,
    DatasetVersionSerializer,
    TableImportSerializer,
)


MAX_SAMPLES_PAGE = 500


class PublishSerializer(serializers.Serializer):
    published = serializers.BooleanField()


class DatasetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = DatasetSerializer

    def get_queryset(self):
        return visible_datasets(self.request.user)

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
        """A COCO detection set (zip: annotations.json and images/) as the next version."""
        return self._upload(request, importers.import_coco, "COCO zip")

    @extend_schema(request={"multipart/form-data": CocoImportSerializer}, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["post"], url_path="import-classes", parser_classes=[SafeMultiPartParser])
    def import_classes(self, request, pk=None):
        """A zip of class folders, one folder per class with its images inside, as the next
        version of a classification dataset."""
        return self._upload(request, importers.import_class_folders, "class-folder zip")

    @extend_schema(request={"multipart/form-data": CocoImportSerializer}, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["post"], url_path="import-voc", parser_classes=[SafeMultiPartParser])
    def import_voc(self, request, pk=None):
        """A Pascal VOC zip (Annotations/*.xml and the images they name) as the next version."""
        return self._upload(request, importers.import_voc, "VOC zip")

    @extend_schema(request={"multipart/form-data": CocoImportSerializer}, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["post"], url_path="import-text", parser_classes=[SafeMultiPartParser])
    def import_text(self, request, pk=None):
        """A JSON Lines file (text, optional label, optional entity spans) as the next version
        of a text dataset."""
        def importer(upload, **kw):
            return importers.import_text_jsonl(upload.read(), name=upload.name or "data.jsonl", **kw)
        return self._upload(request, importer, "JSON Lines")

    def _upload(self, request, importer, what):
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
        label = ser.validated_data["source"] or f"{what} {upload.name!r} uploaded by {request.user.get_username()}"
        dv = importer(upload, dataset=ds, acting_user=request.user, source_label=label)
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


    def _version(self, number):
        ds = self.get_object()
        dv = ds.versions.select_related("artifact", "dataset").filter(version=number).first()
        if dv is None:
            raise NotFound(f"{ds.name} has no version {number}")
        return ds, dv

    def _detection_index(self, dv):
        if dv.dataset.kind not in ("detection", "classification"):
            raise ValidationError({"version": [f"{dv} is a {dv.dataset.kind} dataset; samples are listed for "
                                               "image datasets (detection, classification)"]})
        try:
            return gallery.samples_of(dv)
        except NotADataset as exc:
            raise ValidationError({"version": [str(exc)]}) from None

    @extend_schema(parameters=[OpenApiParameter("class", str), OpenApiParameter("state", str, enum=list(STATES)),
                               OpenApiParameter("offset", int), OpenApiParameter("limit", int)])
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)/samples", pagination_class=None)
    def samples(self, request, pk=None, number=None):
        """The images of a detection version with their boxes, filtered by class and by
        labelled / unlabelled, a page at a time (limit at most 500), and the version's class
        and box-size counts."""
        _, dv = self._version(number)
        index = self._detection_index(dv)
        try:
            offset = int(request.query_params.get("offset", 0))
            limit = int(request.query_params.get("limit", 100))
        except ValueError:
            raise ValidationError({"offset": ["offset and limit are whole numbers"]}) from None
        if offset < 0 or not 1 <= limit <= MAX_SAMPLES_PAGE:
            raise ValidationError({"limit": [f"offset >= 0 and 1 <= limit <= {MAX_SAMPLES_PAGE}"]})
        try:
            chosen = index.select(category=request.query_params.get("class") or None,
                                  state=request.query_params.get("state") or None)
        except ValueError as exc:
            raise ValidationError({"class": [str(exc)]}) from None
        counts = index.class_counts()
        return Response({
            "count": len(chosen), "offset": offset, "limit": limit, "categories": index.categories,
            "summary": {"boxes_per_class": {c: counts[c][0] for c in counts},
                        "images_per_class": {c: counts[c][1] for c in counts},
                        "size_bands": index.size_bands(), "unlabelled": index.unlabelled()},
            "results": [s.as_dict() for s in chosen[offset:offset + limit]],
        })

    @extend_schema(parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(exports.FORMATS))],
                   responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)/export/(?P<fmt>[a-z0-9]+)")
    def export(self, request, pk=None, number=None, fmt=None):
        """The version as COCO (its own canonical zip), Pascal VOC or CSV (detection only):
        .../export/coco/, .../export/voc/, .../export/csv/."""
        _, dv = self._version(number)
        if fmt == "voc" and dv.dataset.kind != "detection":
            raise ValidationError({"fmt": ["VOC holds boxes: it exports detection datasets"]})
        if fmt != "coco":
            self._detection_index(dv)
        try:
            fh, content_type, name = exports.export(dv, fmt)
        except exports.UnknownFormat as exc:
            raise ValidationError({"fmt": [str(exc)]}) from None
        return FileResponse(fh, content_type=content_type, as_attachment=True, filename=name)

    @extend_schema(parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)])
    @action(detail=True, methods=["get"], url_path="diff")
    def diff(self, request, pk=None):
        """Images added, removed and relabelled from one detection version to another
        (matched by file name)."""
        try:
            a, b = int(request.query_params["from"]), int(request.query_params["to"])
        except (KeyError, ValueError):
            raise ValidationError({"from": ["name two versions: ?from=1&to=2"]}) from None
        _, old = self._version(a)
        _, new = self._version(b)
        return Response({"from": a, "to": b, **diff(self._detection_index(old), self._detection_index(new))})

    @extend_schema(request=PublishSerializer, responses={200: DatasetSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Share the dataset read-only with the organisations below its own ({"published": true}),
        or stop ({"published": false})."""
        from ..actions.datasets import publish

        value = request.data.get("published")
        if not isinstance(value, bool):
            raise ValidationError({"published": ["true or false"]})
        return Response(DatasetSerializer(publish(self.get_object(), published=value, acting_user=request.user)).data)
