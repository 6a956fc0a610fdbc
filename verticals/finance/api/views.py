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
from .serializers import RiskRecordSerializer, RiskRegisterSerializer, ScoreSerializer, StatusChangeSerializer


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
    """Deployments the caller can see, for scoring; the action refuses one that serves no scorecard."""

    queryset = Deployment.objects.select_related("model_version__model", "organisation")
    lookup_value_regex = "[0-9]+"

    @extend_schema(request=ScoreSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score one record ({"record": {...}}) or a batch ({"records": [...]}) on a
        scorecard deployment: score, probability of default, top reason codes, model version."""
        deployment = self.get_queryset().filter(pk=pk).first()
        if deployment is None:
            raise NotFound(f"no deployment {pk} visible to you")
        ser = ScoreSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        records = ser.validated_data.get("record", ser.validated_data.get("records"))
        return Response(score(deployment, records, acting_user=request.user))
