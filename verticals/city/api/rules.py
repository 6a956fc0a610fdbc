"""/api/v1/city/cameras/<id>/rules/ and /api/v1/city/rules/<id>/: the rules that raise a
camera's events (reading needs the viewer role, writing the developer role in the camera's
organisation, which the actions check)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.platform.rest.viewsets import OrganisationScopedViewSet, PartialUpdateSerializer

from ..actions.rules import create_rule, delete_rule, update_rule
from ..models import Rule


def describe_rule(r: Rule) -> dict:
    return {"id": r.pk, "camera": r.camera_id, "name": r.name, "kind": r.kind, "geometry": r.geometry,
            "params": r.params, "severity": r.severity, "enabled": r.enabled, "created_at": r.created_at}


class RuleSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Rule.Kind.choices)
    geometry = serializers.JSONField(required=False, default=list,
                                     help_text="polygon [[x, y], ...], line [[x1, y1], [x2, y2]] or route polyline")
    params = serializers.JSONField(required=False, default=dict,
                                   help_text="classes, hours, weekdays and the kind's own settings")
    severity = serializers.IntegerField(required=False, default=2, min_value=1, max_value=4)
    enabled = serializers.BooleanField(required=False, default=True)


class RuleUpdateSerializer(PartialUpdateSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Rule.Kind.choices)
    geometry = serializers.JSONField()
    params = serializers.JSONField()
    severity = serializers.IntegerField(min_value=1, max_value=4)
    enabled = serializers.BooleanField()


class CameraRulesMixin:
    """The rules of one camera, as an action of the camera viewset."""

    @extend_schema(methods=["GET"], operation_id="city_camera_rules_list", responses=OpenApiTypes.OBJECT)
    @extend_schema(methods=["POST"], request=RuleSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get", "post"])
    def rules(self, request, pk=None):
        """GET: the camera's rules. POST: add a rule; geometry and params are checked for its
        kind (400 names the field)."""
        camera = self.get_object()
        if request.method == "GET":
            return Response({"results": [describe_rule(r) for r in camera.rules.all()]})
        ser = RuleSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rule = create_rule(camera=camera, acting_user=request.user, **ser.validated_data)
        return Response(describe_rule(rule), status=201)


class RuleViewSet(OrganisationScopedViewSet):
    queryset = Rule.objects.select_related("camera__organisation")
    organisation_field = "camera__organisation"
    lookup_value_regex = "[0-9]+"

    @extend_schema(operation_id="city_rule_retrieve", responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        return Response(describe_rule(self.get_object()))

    @extend_schema(request=RuleUpdateSerializer, responses=OpenApiTypes.OBJECT)
    def partial_update(self, request, pk=None):
        """Change a rule; it is checked again as a whole."""
        rule = self.get_object()
        ser = RuleUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(describe_rule(update_rule(rule, acting_user=request.user, **ser.validated_data)))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Remove a rule; the events it raised stay."""
        delete_rule(self.get_object(), acting_user=request.user)
        return Response(status=204)
