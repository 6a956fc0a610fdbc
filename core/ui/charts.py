"""Chart payloads for the ECharts widgets in static/ui/charts.js: plain JSON built
here, embedded with json_script, so the templates hold no chart logic."""
from numbers import Real

from django.urls import reverse

from core.hub import lineage

from .labels import KIND_COLOURS, kind_label, relation_label
from .lib.layout import layered_positions


def node_url(kind, pk):
    return reverse("ui:lineage", args=[kind, pk])


def lineage_chart(graph):
    """The lineage_graph() dict laid out left to right, with translated kind and
    relation names and a link per node."""
    order = list(lineage.NODE_KINDS)
    positions = layered_positions(graph["nodes"], graph["edges"], order)
    kinds = [k for k in order if any(n["kind"] == k for n in graph["nodes"])]
    nodes = []
    for n in graph["nodes"]:
        x, y = positions[n["id"]]
        nodes.append({
            "id": n["id"], "name": n["label"], "x": x, "y": y, "kind": n["kind"],
            "category": kinds.index(n["kind"]), "start": n["start"], "url": node_url(n["kind"], n["pk"]),
        })
    return {
        "nodes": nodes,
        "links": [{"source": e["source"], "target": e["target"], "label": str(relation_label(e["relation"]))}
                  for e in graph["edges"]],
        "categories": [{"name": str(kind_label(k)), "color": KIND_COLOURS.get(k, "#888")} for k in kinds],
    }


def node_rows(graph):
    """The graph's nodes for the table beside the chart, in walk order."""
    return [{
        "label": n["label"], "kind": n["kind"], "kind_label": kind_label(n["kind"]),
        "colour": KIND_COLOURS.get(n["kind"], "#888"), "start": n["start"], "detail": n["detail"],
        "url": node_url(n["kind"], n["pk"]),
    } for n in graph["nodes"]]


def metric_bars(metrics):
    """Top-level numeric metrics as a bar chart; nested or text metrics stay in the table."""
    items = [(k, v) for k, v in sorted((metrics or {}).items())
             if isinstance(v, Real) and not isinstance(v, bool)]
    return {"names": [k for k, _ in items], "values": [v for _, v in items]}
