"""/api/v1/kg/: graphs, entity search, neighbourhoods, paths, export and import.

Path queries run on the in-process projection (projection.py) under the hard limits of
lib/paths.py: a request over a limit is answered 400 naming the parameter and the limit.
"""
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from core.hub.storage import ArtifactTooLarge
from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.parsers import SafeJSONParser, SafeMultiPartParser

from ..actions.facts import add_entity, add_relation
from ..actions.graphs import check_can_write, create_graph
from ..actions.imports import import_files
from ..lib import export as kg_export
from ..lib import paths
from ..ontologies import get_ontology
from ..projection import projection
from ..queries import visible_graphs
from .serializers import (
    EntityCreateSerializer,
    EntitySerializer,
    GraphSerializer,
    ImportSerializer,
    RelationCreateSerializer,
    RelationSerializer,
)


def _query_errors(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except paths.QueryLimitError as exc:
        raise FieldErrors({exc.field: [str(exc)]}, str(exc)) from None


def _flag(value):
    return str(value).lower() in ("1", "true", "yes", "on")


def _nodes_json(g, keys, extra=None):
    out = []
    for k in keys:
        d = g.nodes[k]
        item = {"key": k, "id": d.get("id"), "cls": d.get("cls"), "name": d.get("name", ""),
                "attributes": d.get("attributes", {})}
        if extra:
            item.update(extra(k))
        out.append(item)
    return out


class _NoFormatOverride(DefaultContentNegotiation):
    """?format= names the export format here, not a DRF renderer."""

    class settings:
        URL_FORMAT_OVERRIDE = None


HOPS = OpenApiParameter("hops", int, description=f"0..{paths.MAX_HOPS} (default 1)")
MAX_NODES = OpenApiParameter("max_nodes", int, description=f"1..{paths.MAX_NODES} (default {paths.DEFAULT_NODES})")
DIRECTED = OpenApiParameter("directed", bool, description="follow relations src -> dst only (default: either way)")


class GraphViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = GraphSerializer
    parser_classes = [SafeJSONParser, SafeMultiPartParser]

    def get_queryset(self):
        return visible_graphs(self.request.user)

    def get_content_negotiator(self):
        if getattr(self, "action", None) == "export":
            return _NoFormatOverride()
        return super().get_content_negotiator()

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = create_graph(name=d["name"], organisation=d["organisation"], vertical=d["vertical"],
                                           description=d.get("description", ""), acting_user=self.request.user)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def ontology(self, request, pk=None):
        graph = self.get_object()
        return Response({"vertical": graph.vertical, **get_ontology(graph.vertical).to_dict()})

    @extend_schema(methods=["GET"], responses=EntitySerializer(many=True), parameters=[
        OpenApiParameter("q", str, description="text the key or name contains (case-insensitive)"),
        OpenApiParameter("cls", str, description="a class; its subclasses match too")])
    @extend_schema(methods=["POST"], request=EntityCreateSerializer, responses={201: EntitySerializer})
    @action(detail=True, methods=["get", "post"])
    def entities(self, request, pk=None):
        graph = self.get_object()
        if request.method == "POST":
            ser = EntityCreateSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            entity = add_entity(graph, acting_user=request.user, **ser.validated_data)
            return Response(EntitySerializer(entity).data, status=201)
        qs = graph.entities.all()
        q = request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(key__icontains=q) | Q(name__icontains=q))
        cls = request.query_params.get("cls", "").strip()
        if cls:
            onto = get_ontology(graph.vertical)
            if cls not in onto.classes:
                raise FieldErrors({"cls": [f"unknown class {cls!r}; classes: {', '.join(sorted(onto.classes))}"]})
            qs = qs.filter(cls__in=onto.subclasses(cls))
        page = self.paginate_queryset(qs.order_by("key"))
        return self.get_paginated_response(EntitySerializer(page, many=True).data)

    @extend_schema(request=RelationCreateSerializer, responses={201: RelationSerializer})
    @action(detail=True, methods=["post"])
    def relations(self, request, pk=None):
        graph = self.get_object()
        ser = RelationCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rel = add_relation(graph, acting_user=request.user, **ser.validated_data)
        return Response(RelationSerializer(rel).data, status=201)

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[HOPS, MAX_NODES, DIRECTED])
    @action(detail=True, methods=["get"], url_path=r"entities/(?P<entity_id>[0-9]+)/neighbourhood")
    def neighbourhood(self, request, pk=None, entity_id=None):
        """The entities within `hops` of one entity and the relations among them."""
        graph = self.get_object()
        entity = get_object_or_404(graph.entities.only("key"), pk=entity_id)
        hops = _query_errors(paths.check_hops, request.query_params.get("hops"))
        max_nodes = _query_errors(paths.check_max_nodes, request.query_params.get("max_nodes"))
        g = projection(graph)
        result = _query_errors(paths.neighbourhood, g, entity.key, hops=hops, max_nodes=max_nodes,
                               directed=_flag(request.query_params.get("directed")))
        dist = result["nodes"]
        sub = g.subgraph(dist)
        return Response({"graph": graph.pk, "version": g.graph.get("version"), "center": entity.key, "hops": hops,
                         "truncated": result["truncated"],
                         "nodes": _nodes_json(g, dist, lambda k: {"distance": dist[k]}),
                         "edges": kg_export.to_json(sub)["edges"]})

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("src", str, required=True, description="entity key"),
        OpenApiParameter("dst", str, required=True, description="entity key"),
        OpenApiParameter("max_hops", int, description="only a path of at most this many relations"),
        OpenApiParameter("time_budget", float, description=f"seconds, at most {paths.MAX_TIME_BUDGET_S}"), DIRECTED])
    @action(detail=True, methods=["get"], url_path="shortest-path")
    def shortest_path(self, request, pk=None):
        graph = self.get_object()
        p = request.query_params
        max_hops = _query_errors(paths.check_max_hops, p.get("max_hops"))
        budget = _query_errors(paths.check_time_budget, p.get("time_budget"))
        g = projection(graph)
        result = _query_errors(paths.shortest_path, g, p.get("src"), p.get("dst"), directed=_flag(p.get("directed")),
                               max_hops=max_hops, time_budget_s=budget)
        if result is None:
            return Response({"found": False, "src": p.get("src"), "dst": p.get("dst"), "nodes": [], "edges": []})
        return Response({"found": True, "length": result["length"], "nodes": _nodes_json(g, result["nodes"]),
                         "edges": result["edges"]})

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("src", str, required=True), OpenApiParameter("dst", str, required=True),
        OpenApiParameter("cutoff", int, required=True, description=f"max hops, 1..{paths.MAX_CUTOFF}"),
        OpenApiParameter("max_paths", int, description=f"1..{paths.MAX_PATHS} (default 20)"),
        OpenApiParameter("time_budget", float, description=f"seconds, at most {paths.MAX_TIME_BUDGET_S}"), DIRECTED])
    @action(detail=True, methods=["get"])
    def paths(self, request, pk=None):
        """All simple paths up to `cutoff` hops; truncated (with the reason) at max_paths or the time budget."""
        graph = self.get_object()
        p = request.query_params
        cutoff = _query_errors(paths.check_cutoff, p.get("cutoff"), default=None)
        max_paths = _query_errors(paths.check_max_paths, p.get("max_paths"))
        budget = _query_errors(paths.check_time_budget, p.get("time_budget"))
        g = projection(graph)
        result = _query_errors(paths.all_paths, g, p.get("src"), p.get("dst"), cutoff=cutoff, max_paths=max_paths,
                               time_budget_s=budget, directed=_flag(p.get("directed")))
        return Response({"src": p.get("src"), "dst": p.get("dst"), "cutoff": cutoff, "count": len(result["paths"]),
                         **result})

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT,
                              (200, "application/graphml+xml"): OpenApiTypes.BINARY},
                   parameters=[OpenApiParameter("format", str, enum=["json", "graphml"]),
                               OpenApiParameter("around", str, description="an entity key: export its neighbourhood"),
                               HOPS, MAX_NODES, DIRECTED])
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        graph = self.get_object()
        p = request.query_params
        fmt = p.get("format", "json")
        if fmt not in ("json", "graphml"):
            raise FieldErrors({"format": [f"format must be json or graphml, got {fmt!r}"]})
        g = projection(graph)
        if p.get("around"):
            hops = _query_errors(paths.check_hops, p.get("hops"))
            max_nodes = _query_errors(paths.check_max_nodes, p.get("max_nodes"))
            result = _query_errors(paths.neighbourhood, g, p.get("around"), hops=hops, max_nodes=max_nodes,
                                   directed=_flag(p.get("directed")))
            sub = g.subgraph(result["nodes"])
        else:
            sub = g
        try:
            kg_export.check_size(sub)
        except kg_export.ExportTooLarge as exc:
            raise FieldErrors({"around": [str(exc)]}) from None
        filename = f"{graph.name}-v{g.graph.get('version')}"
        if fmt == "graphml":
            response = HttpResponse(kg_export.to_graphml(sub), content_type="application/graphml+xml")
            response["Content-Disposition"] = f'attachment; filename="{filename}.graphml"'
            return response
        return Response({"graph": graph.pk, "name": graph.name, "vertical": graph.vertical,
                         "version": g.graph.get("version"), **kg_export.to_json(sub)})

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[SafeMultiPartParser])
    def import_(self, request, pk=None):
        """All or nothing: a bad row rejects the batch, every bad row is named (400)."""
        from django.conf import settings

        graph = self.get_object()
        check_can_write(request.user, graph)  # before the body is read
        max_upload = getattr(settings, "KG_IMPORT_MAX_UPLOAD_BYTES", 256 * 1024 * 1024)
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > max_upload + 64 * 1024:
            raise ArtifactTooLarge(f"upload of {declared} bytes exceeds the {max_upload} byte limit for a graph import")
        ser = ImportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        files = {k: ser.validated_data.get(k) for k in ("file", "entities", "relations")}
        for f in files.values():
            if f is not None and f.size > max_upload:
                raise ArtifactTooLarge(f"upload of {f.size} bytes exceeds the {max_upload} byte limit")
        names = ", ".join(f.name for f in files.values() if f is not None)
        source = ser.validated_data["source"] or f"import of {names} by {request.user.get_username()}"
        result = import_files(graph, acting_user=request.user,
                              json_data=files["file"].read() if files["file"] else None,
                              entities_csv=files["entities"].read() if files["entities"] else None,
                              relations_csv=files["relations"].read() if files["relations"] else None,
                              source=source)
        return Response(result, status=201)
