from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.hub.queries import visible_models
from core.inference.models import Deployment
from core.platform.rest.viewsets import OrganisationScopedViewSet

from ..actions import risk_inventory
from ..actions.scoring import score
from ..models import ModelRiskRecord
from ..views.common import SCORECARD_PROFILE, scorecard_of
from .record_schema import record_schema
from .serializers import (
    RiskRecordSerializer,
    RiskRegisterSerializer,
    ScorecardDeploymentSerializer,
    ScoreSerializer,
    StatusChangeSerializer,
)


class RiskInventoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganisationScopedViewSet):
    """The model-risk inventory: every model, owner, tier, status, next revalidation."""

    queryset = ModelRiskRecord.objects.select_related("model__organisation", "owner").prefetch_related(
        "model__aliases__version")
    organisation_field = "model__organisation"
    shared_field = "model__published"
    serializer_class = RiskRecordSerializer

    @extend_schema(request=RiskRegisterSerializer, responses=RiskRecordSerializer)
    def create(self, request):
        ser = RiskRegisterSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        model = visible_models(request.user).filter(pk=d["model"]).first()
        if model is None:
            raise ValidationError({"model": [f"no model {d['model']} visible to you"]})
        owner = request.user
        if d.get("owner"):
            owner = get_user_model().objects.filter(username=d["owner"]).first()
            if owner is None:
                raise ValidationError({"owner": [f"unknown user {d['owner']!r}"]})
        # The action checks the role: registering needs a developer, each status its own role.
        rec = risk_inventory.register_model_risk(model, owner=owner, risk_tier=d["risk_tier"], purpose=d["purpose"],
                                                 acting_user=request.user)
        return Response(RiskRecordSerializer(rec).data, status=201)

    @extend_schema(request=StatusChangeSerializer, responses=RiskRecordSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        ser = StatusChangeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rec = risk_inventory.change_status(self.get_object(), ser.validated_data["status"],
                                           reason=ser.validated_data["reason"], acting_user=request.user)
        return Response(RiskRecordSerializer(rec).data)


class ScorecardDeploymentViewSet(OrganisationScopedViewSet):
    """Deployments the caller can see, for scoring; the actions refuse one that serves no scorecard."""

    queryset = Deployment.objects.select_related("model_version__model", "organisation").order_by("id")
    serializer_class = ScorecardDeploymentSerializer
    lookup_value_regex = "[0-9]+"

    def _visible(self, pk):
        deployment = self.get_queryset().filter(pk=pk).first()
        if deployment is None:
            raise NotFound(f"no deployment {pk} visible to you")
        return deployment

    def list(self, request):
        """The scorecard deployments you can see: model and version served, organisation, status,
        and the URLs of each one's record schema and score endpoint."""
        page = self.paginate_queryset(self.get_queryset().filter(profile=SCORECARD_PROFILE))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="input-schema", url_name="input-schema")
    def input_schema(self, request, pk=None):
        """The JSON Schema of one record this deployment's scorecard scores: each field's type,
        accepted range (numbers) or categories, whether it may be missing, and its bins."""
        deployment = self._visible(pk)
        scorecard = scorecard_of(deployment.model_version)
        if scorecard is None:
            raise ValidationError({"deployment": [f"deployment {deployment.name!r} serves no scorecard"]})
        version = deployment.model_version
        return Response(record_schema(scorecard, title=f"{version.model.name} v{version.version} record"))

    @extend_schema(
        request=ScoreSerializer, responses=OpenApiTypes.OBJECT,
        description=("Score one record (`{\"record\": {...}}`) or a batch (`{\"records\": [...]}`) on a scorecard "
                     "deployment: score, probability of default, top reason codes, model version. A record's "
                     "fields depend on the deployment: `GET /api/v1/finance/deployments/{id}/input-schema/` "
                     "answers their JSON Schema (names, types, accepted ranges and categories). A field "
                     "outside it is refused with 400 and `errors` naming it (`records[i].field` in a batch)."))
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score one record or a batch on a scorecard deployment."""
        deployment = self._visible(pk)
        ser = ScoreSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        records = ser.validated_data.get("record", ser.validated_data.get("records"))
        return Response(score(deployment, records, acting_user=request.user))
