"""/api/v1/energy/: grids with their outage analysis and fault incidents, incidents across
the grids of the user's organisations, and fault diagnosis over a graph holding the
dispatch fault knowledge base. A grid, fault or graph of another branch does not exist
for the user (404); recording and clearing faults needs the operator role (the actions
check it)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.kg.models import Graph
from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.viewsets import OrganisationScopedViewSet

from ..actions.faults import FaultConflict, clear_fault, open_fault
from ..lib.restoration import GridError
from ..models import FaultIncident, Grid
from ..queries import diagnose, outage_plan
from .serializers import (
    STATUS_PARAM,
    ClearFaultSerializer,
    DiagnoseSerializer,
    FaultDetailSerializer,
    FaultSerializer,
    GridSerializer,
    OpenFaultSerializer,
    OutageSerializer,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


def _by_status(request, qs):
    wanted = request.query_params.get("status")
    if wanted:
        if wanted not in FaultIncident.Status.values:
            known = ", ".join(FaultIncident.Status.values)
            raise exceptions.ValidationError({"status": [f"status must be one of {known}"]})
        qs = qs.filter(status=wanted)
    return qs


class GridViewSet(OrganisationScopedViewSet):
    queryset = Grid.objects.select_related("graph__organisation")
    organisation_field = "graph__organisation"
    serializer_class = GridSerializer
    lookup_value_regex = "[0-9]+"
    pagination_class = None  # clients read the whole list, as before the router

    @extend_schema(responses=GridSerializer(many=True))
    def list(self, request):
        return Response(GridSerializer(self.get_queryset().order_by("id"), many=True).data)

    @extend_schema(request=OutageSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def outage(self, request, pk=None):
        """Islands and lost buses after the tripped elements open, the restoration plan as a
        dispatcher's steps, and (verify) power flows of the post-trip and restored states."""
        grid = self.get_object()
        ser = OutageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            return Response(outage_plan(grid, ser.validated_data["tripped"], verify=ser.validated_data["verify"]))
        except GridError as exc:
            raise FieldErrors({"tripped": [str(exc)]}) from None

    @extend_schema(methods=["GET"], parameters=[STATUS_PARAM], responses=FaultSerializer(many=True),
                   description="The fault incidents of one grid, newest first.")
    @extend_schema(methods=["POST"], request=OpenFaultSerializer, responses={201: FaultDetailSerializer},
                   description="Record an active fault: the tripped element, the alarms, and the outage analysis "
                               "and restoration plan (with its power-flow check) computed now. 400 for an element "
                               "that is not a line or transformer in service, 409 while the element already has "
                               "an active fault.")
    @action(detail=True, methods=["get", "post"])
    def faults(self, request, pk=None):
        grid = self.get_object()
        if request.method == "GET":
            incidents = FaultViewSet.queryset.filter(grid=grid)  # a grid the user sees: all its incidents
            return Response(FaultSerializer(_by_status(request, incidents), many=True).data)
        ser = OpenFaultSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            incident = open_fault(grid, d["element"], alarms=d["alarms"], title=d["title"], acting_user=request.user)
        except FaultConflict as exc:
            raise Conflict(str(exc)) from None
        return Response(FaultDetailSerializer(incident).data, status=status.HTTP_201_CREATED)


class FaultViewSet(OrganisationScopedViewSet):
    queryset = FaultIncident.objects.select_related("grid__graph__organisation", "opened_by", "cleared_by")
    organisation_field = "grid__graph__organisation"
    serializer_class = FaultDetailSerializer
    lookup_value_regex = "[0-9]+"
    pagination_class = None  # clients read the whole list, as before the router

    @extend_schema(parameters=[STATUS_PARAM], responses=FaultSerializer(many=True))
    def list(self, request):
        """Fault incidents across the grids of the user's organisations, newest first."""
        return Response(FaultSerializer(_by_status(request, self.get_queryset()), many=True).data)

    @extend_schema(responses=FaultDetailSerializer)
    def retrieve(self, request, pk=None):
        """One incident with the plan as computed when it was opened."""
        return Response(FaultDetailSerializer(self.get_object()).data)

    @extend_schema(request=ClearFaultSerializer, responses=FaultDetailSerializer)
    @action(detail=True, methods=["post"])
    def clear(self, request, pk=None):
        """Clear an active fault as restored (409 when it already is)."""
        incident = self.get_object()
        ser = ClearFaultSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            clear_fault(incident, acting_user=request.user, note=ser.validated_data["note"])
        except FaultConflict as exc:
            raise Conflict(str(exc)) from None
        return Response(FaultDetailSerializer(incident).data)


class GraphViewSet(OrganisationScopedViewSet):
    """Energy graphs: diagnosis over the dispatch fault knowledge one holds (actions/fault_kb.py)."""

    queryset = Graph.objects.filter(vertical="energy").select_related("organisation")
    lookup_value_regex = "[0-9]+"

    @extend_schema(request=DiagnoseSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def diagnose(self, request, pk=None):
        """Probable faults, best first: score, coverage, evidence paths (alarm -indicates-> fault),
        expected evidence missing, and each fault's handling procedure path with its steps."""
        graph = self.get_object()
        ser = DiagnoseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        return Response(diagnose(graph, alarms=d["alarms"], absent=d["absent"], symptoms=d["symptoms"], top=d["top"],
                                 lang=d["lang"]))
