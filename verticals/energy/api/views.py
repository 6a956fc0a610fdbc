from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import FieldErrors
from core.kg.queries import visible_graphs

from ..lib.restoration import GridError
from ..models import Grid
from ..queries import outage_plan


class GridSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="graph.name")
    organisation = serializers.CharField(source="graph.organisation.code")

    class Meta:
        model = Grid
        fields = ["id", "graph", "name", "organisation", "case", "buses", "branches", "created_at"]


class OutageSerializer(serializers.Serializer):
    tripped = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1, max_length=20,
                                    help_text="element keys: line:3, trafo:0, switch:5")
    verify = serializers.BooleanField(default=False, help_text="check the plan with a pandapower power flow")


def _grids(user):
    return Grid.objects.filter(graph__in=visible_graphs(user)).select_related("graph__organisation")


class GridList(APIView):
    @extend_schema(responses=GridSerializer(many=True))
    def get(self, request):
        return Response(GridSerializer(_grids(request.user).order_by("id"), many=True).data)


class OutageView(APIView):
    @extend_schema(request=OutageSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, grid_id):
        """Islands and lost buses after the tripped elements open, the restoration plan as a
        dispatcher's steps, and (verify) power flows of the post-trip and restored states."""
        grid = get_object_or_404(_grids(request.user), pk=grid_id)
        ser = OutageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            return Response(outage_plan(grid, ser.validated_data["tripped"], verify=ser.validated_data["verify"]))
        except GridError as exc:
            raise FieldErrors({"tripped": [str(exc)]}) from None
