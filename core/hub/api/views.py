from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.platform.rest.fields import query_int
from core.platform.rest.parsers import SafeFormParser, SafeMultiPartParser

from ..actions import registry as reg
from ..actions.artifacts import store_artifact
from ..graph import lineage_graph
from ..lineage import MAX_DEPTH
from ..models import AliasChangeRequest, Evaluation, ModelVersion
from ..queries import holding_for, visible_artifacts, visible_holdings, visible_models, visible_versions
from ..storage import ArtifactTooLarge, get_storage
from . import serializers as s


class ArtifactViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ArtifactSerializer
    lookup_field = "sha256"
    lookup_value_regex = "[0-9a-f]{64}"
    parser_classes = [SafeMultiPartParser, SafeFormParser]

    def get_queryset(self):
        return visible_holdings(self.request.user).select_related("artifact", "organisation")

    def get_object(self):
        holding = holding_for(self.request.user, self.kwargs["sha256"])
        if holding is None:
            raise NotFound(f"no artifact {self.kwargs['sha256']} visible to you")
        return holding

    @extend_schema(request={"multipart/form-data": s.ArtifactUploadSerializer}, responses=s.ArtifactSerializer)
    def create(self, request):
        # Refuse an oversized body from its declared length before reading it.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = settings.ARTIFACT_MAX_UPLOAD_BYTES
        if declared > limit + 64 * 1024:
            raise ArtifactTooLarge(f"upload of {declared} bytes exceeds the {limit} byte limit")
        ser = s.ArtifactUploadSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        artifact, created = store_artifact(
            upload, filename=upload.name, content_type=getattr(upload, "content_type", "") or "",
            organisation=ser.validated_data["organisation"], acting_user=request.user,
            expected_sha256=ser.validated_data.get("sha256"))
        holding = artifact.holdings.select_related("organisation").get(organisation=ser.validated_data["organisation"])
        return Response(s.ArtifactSerializer(holding).data, status=201 if created else 200)

    @action(detail=True, methods=["get"])
    def download(self, request, sha256=None):
        holding = self.get_object()
        storage = get_storage()
        if not storage.exists(holding.artifact_id):
            raise NotFound(f"artifact {holding.artifact_id} is missing from storage")
        return FileResponse(storage.open(holding.artifact_id), as_attachment=True,
                            filename=holding.filename or holding.artifact_id)


class ModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = s.ModelSerializer

    def get_queryset(self):
        qs = (visible_models(self.request.user).select_related("organisation", "created_by")
              .prefetch_related("aliases__version", "aliases__updated_by", "aliases__approved_by")
              # A correlated subquery runs for the page's rows only; a Max() join would
              # group every version of every visible model first.
              .annotate(latest_version_number=Subquery(
                  ModelVersion.objects.filter(model=OuterRef("pk")).order_by("-version").values("version")[:1])))
        p = self.request.query_params
        if p.get("vertical") is not None and "vertical" in p:
            qs = qs.filter(vertical=p["vertical"])
        if p.get("q"):
            qs = qs.filter(name__icontains=p["q"])
        if p.get("organisation"):
            qs = qs.filter(organisation__code=p["organisation"])
        return qs.order_by("name", "id")

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("vertical", str),
                               OpenApiParameter("organisation", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = reg.create_model(
            name=d["name"], organisation=d["organisation"], acting_user=self.request.user, title=d.get("title", ""),
            vertical=d.get("vertical", ""), model_type=d.get("model_type", ""),
            description=d.get("description", ""), published=d.get("published", False), tags=d.get("tags"))

    @extend_schema(request=s.ModelUpdateSerializer, responses=s.ModelSerializer)
    def partial_update(self, request, pk=None):
        model = self.get_object()
        ser = s.ModelUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        reg.set_published(model, ser.validated_data["published"], acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=model.pk)).data)

    # GET pages like the list endpoints: {count, next, previous, results}.
    @extend_schema(methods=["GET"], responses=OpenApiTypes.OBJECT)
    @extend_schema(methods=["POST"], request=s.VersionCreateSerializer, responses={201: s.VersionSerializer})
    @action(detail=True, methods=["get", "post"])
    def versions(self, request, pk=None):
        model = self.get_object()
        if request.method == "GET":
            qs = model.versions.select_related("artifact", "model", "created_by").prefetch_related("aliases", "artifact__holdings__organisation")
            page = self.paginate_queryset(qs)
            return self.get_paginated_response(s.VersionSerializer(page, many=True).data)
        ser = s.VersionCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        artifact = visible_artifacts(request.user).filter(sha256=d["artifact"]).first()
        if artifact is None:
            raise ValidationError({"artifact": [f"no artifact {d['artifact']} visible to you; upload it first"]})
        version = reg.create_version(model, artifact=artifact, acting_user=request.user, metrics=d.get("metrics"),
                                     params=d.get("params"), tags=d.get("tags"), description=d.get("description", ""))
        return Response(s.VersionSerializer(version).data, status=201)

    @extend_schema(request=s.AliasMoveSerializer, responses={200: s.AliasSerializer, 202: s.AliasRequestSerializer})
    @action(detail=True, methods=["post"])
    def aliases(self, request, pk=None):
        model = self.get_object()
        ser = s.AliasMoveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        version = model.versions.filter(version=ser.validated_data["version"]).first()
        if version is None:
            raise ValidationError({"version": [f"{model.name} has no version {ser.validated_data['version']}"]})
        moved, req = reg.request_alias(model, alias=ser.validated_data["alias"], version=version,
                                       acting_user=request.user, reason=ser.validated_data.get("reason", ""))
        if req is not None:
            body = s.AliasRequestSerializer(req).data
            body["message"] = f"alias {req.alias!r} needs approval by another approver; request {req.pk} is pending"
            return Response(body, status=202)
        return Response(s.AliasSerializer(moved).data, status=200)


class VersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.VersionSerializer

    @extend_schema(responses=s.EvaluationSerializer(many=True), parameters=[
        OpenApiParameter("kind", str, enum=Evaluation.Kind.values),
        OpenApiParameter("dataset_version", int, description="only those on this dataset version (id)"),
        OpenApiParameter("report", bool, description="false leaves the reports out (summaries only)")])
    @action(detail=True, methods=["get"])
    def evaluations(self, request, pk=None):
        """The version's evaluation records, newest first, paged: each its summary and its report."""
        version = self.get_object()
        qs = version.evaluations.select_related("model_version__model", "created_by")
        p = request.query_params
        if p.get("kind"):
            if p["kind"] not in Evaluation.Kind.values:
                raise ValidationError({"kind": [f"kind must be one of {', '.join(Evaluation.Kind.values)}"]})
            qs = qs.filter(kind=p["kind"])
        dataset_version = query_int(request, "dataset_version", minimum=1, maximum=2**63 - 1)
        if dataset_version is not None:
            qs = qs.filter(dataset_version_id=dataset_version)
        if p.get("report", "true").lower() not in ("true", "false", "1", "0"):
            raise ValidationError({"report": ["report must be true or false"]})
        serializer = (s.EvaluationSerializer if p.get("report", "true").lower() in ("true", "1")
                      else s.EvaluationSummarySerializer)
        page = self.paginate_queryset(qs.order_by("-created_at", "-id"))
        return self.get_paginated_response(serializer(page, many=True).data)

    @extend_schema(responses={(200, "application/zip"): bytes})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """The signed evidence pack (zip) of this version, for auditors."""
        return _evidence_response(self.get_object(), request.user)

    @extend_schema(operation_id="versions_evidence_by_name", responses={(200, "application/zip"): bytes},
                   parameters=[OpenApiParameter("model", str, required=True, description="the model's name"),
                               OpenApiParameter("version", int, required=True, description="the version number"),
                               OpenApiParameter("organisation", str,
                                                description="the owning organisation's code, when two models you "
                                                            "can see share the name")])
    @action(detail=False, methods=["get"], url_path="evidence")
    def evidence_by_name(self, request):
        """The evidence pack of a version named as people see it: model name and version number."""
        p = request.query_params
        if not p.get("model"):
            raise ValidationError({"model": ["name the model"]})
        number = query_int(request, "version", minimum=1, maximum=10**9)
        if number is None:
            raise ValidationError({"version": ["give the version number"]})
        versions = self.get_queryset().filter(model__name=p["model"], version=number)
        if p.get("organisation"):
            versions = versions.filter(model__organisation__code=p["organisation"])
        found = list(versions[:2])
        if not found:
            raise NotFound(f"no version {number} of a model {p['model']!r} visible to you")
        if len(found) > 1:
            raise ValidationError({"organisation": [
                f"models named {p['model']!r} exist in {', '.join(sorted(v.model.organisation.code for v in found))}:"
                " name the organisation"]})
        return _evidence_response(found[0], request.user)

    def get_queryset(self):
        return (visible_versions(self.request.user).select_related("artifact", "model", "created_by")
                .prefetch_related("aliases", "artifact__holdings__organisation").order_by("-id"))


def _evidence_response(version, user):
    from django.http import HttpResponse

    from ..actions.evidence import export_evidence

    data = export_evidence(version, acting_user=user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{version.model.name}-v{version.version}.zip"'
    return response


class AliasRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AliasRequestSerializer

    def get_queryset(self):
        qs = AliasChangeRequest.objects.filter(model__in=visible_models(self.request.user)).select_related(
            "model", "version", "requested_by", "decided_by")
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=AliasChangeRequest.Status.values)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _decide(self, request, approve):
        req = self.get_object()
        ser = s.DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        req = reg.decide_alias_request(req, approve=approve, acting_user=request.user,
                                       comment=ser.validated_data["comment"])
        return Response(s.AliasRequestSerializer(req).data)

    @extend_schema(request=s.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=s.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, False)


class LineageView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[OpenApiParameter("depth", int), OpenApiParameter("direction", str,
                                                                               enum=["both", "upstream", "downstream"])])
    def get(self, request, kind, pk):
        depth = query_int(request, "depth", default=3, minimum=0, maximum=MAX_DEPTH)
        direction = request.query_params.get("direction", "both")
        if direction not in ("both", "upstream", "downstream"):
            raise ValidationError({"direction": ["direction must be both, upstream or downstream"]})
        return Response(lineage_graph(request.user, kind, pk, depth=depth, direction=direction))
