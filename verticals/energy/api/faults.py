"""/api/v1/energy/ fault incidents: the active faults a dispatcher records on a grid
(grids/<id>/faults/), clears once restored (faults/<id>/clear/), and lists across the
grids of the user's organisations (faults/?status=active). A grid or fault of another
branch does not exist for the user (404)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..actions.faults import MAX_ALARM_CHARS, MAX_ALARMS, MAX_NOTE_CHARS, FaultConflict, clear_fault, open_fault
from ..models import FaultIncident
from ..queries import visible_faults
from .views import _grids


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


class FaultSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.graph.name")
    organisation = serializers.CharField(source="grid.graph.organisation.code")
    opened_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    cleared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lost_bus_count = serializers.SerializerMethodField()
    restoration_s = serializers.SerializerMethodField()

    class Meta:
        model = FaultIncident
        fields = ["id", "grid", "grid_name", "organisation", "element", "title", "alarms", "status", "lost_buses",
                  "lost_bus_count", "lost_load_mw", "powerflow_ok", "opened_by", "opened_at", "cleared_by",
                  "cleared_at", "clear_note", "restoration_s"]

    def get_lost_bus_count(self, obj) -> int:
        return len(obj.lost_buses or [])

    def get_restoration_s(self, obj) -> float | None:
        return round(obj.restoration_time.total_seconds(), 3) if obj.restoration_time is not None else None


class FaultDetailSerializer(FaultSerializer):
    class Meta(FaultSerializer.Meta):
        fields = FaultSerializer.Meta.fields + ["plan"]


class OpenFaultSerializer(serializers.Serializer):
    element = serializers.CharField(max_length=200, help_text="the tripped line or transformer: line:3, trafo:0")
    alarms = serializers.ListField(child=serializers.CharField(max_length=MAX_ALARM_CHARS), required=False,
                                   default=list, max_length=MAX_ALARMS, help_text="alarms observed")
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class ClearFaultSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE_CHARS, required=False, default="", allow_blank=True)


STATUS_PARAM = OpenApiParameter("status", str, enum=FaultIncident.Status.values,
                                description="only incidents in this status")


def _filtered(request, qs):
    wanted = request.query_params.get("status")
    if wanted:
        if wanted not in FaultIncident.Status.values:
            known = ", ".join(FaultIncident.Status.values)
            raise exceptions.ValidationError({"status": [f"status must be one of {known}"]})
        qs = qs.filter(status=wanted)
    return qs


class GridFaults(APIView):
    @extend_schema(parameters=[STATUS_PARAM], responses=FaultSerializer(many=True))
    def get(self, request, grid_id):
        """The fault incidents of one grid, newest first."""
        grid = get_object_or_404(_grids(request.user), pk=grid_id)
        qs = _filtered(request, visible_faults(request.user).filter(grid=grid))
        return Response(FaultSerializer(qs, many=True).data)

    @extend_schema(request=OpenFaultSerializer, responses={201: FaultDetailSerializer})
    def post(self, request, grid_id):
        """Record an active fault: the tripped element, the alarms, and the outage analysis and
        restoration plan (with its power-flow check) computed now. 400 for an element that is not
        a line or transformer in service, 409 while the element already has an active fault."""
        grid = get_object_or_404(_grids(request.user), pk=grid_id)
        ser = OpenFaultSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            incident = open_fault(grid, d["element"], alarms=d["alarms"], title=d["title"], acting_user=request.user)
        except FaultConflict as exc:
            raise Conflict(str(exc)) from None
        return Response(FaultDetailSerializer(incident).data, status=status.HTTP_201_CREATED)


class FaultList(APIView):
    @extend_schema(parameters=[STATUS_PARAM], responses=FaultSerializer(many=True))
    def get(self, request):
        """Fault incidents across the grids of the user's organisations, newest first."""
        return Response(FaultSerializer(_filtered(request, visible_faults(request.user)), many=True).data)


class FaultDetail(APIView):
    @extend_schema(responses=FaultDetailSerializer)
    def get(self, request, fault_id):
        """One incident with the plan as computed when it was opened."""
        return Response(FaultDetailSerializer(get_object_or_404(visible_faults(request.user), pk=fault_id)).data)


class ClearFault(APIView):
    @extend_schema(request=ClearFaultSerializer, responses=FaultDetailSerializer)
    def post(self, request, fault_id):
        """Clear an active fault as restored (409 when it already is)."""
        incident = get_object_or_404(visible_faults(request.user), pk=fault_id)
        ser = ClearFaultSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            clear_fault(incident, acting_user=request.user, note=ser.validated_data["note"])
        except FaultConflict as exc:
            raise Conflict(str(exc)) from None
        return Response(FaultDetailSerializer(incident).data)
