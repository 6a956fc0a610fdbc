"""Chart payloads for the ECharts widgets in static/ui/charts.js: plain JSON built
here, embedded with json_script, so the templates hold no chart logic."""
from numbers import Real

from django.urls import reverse

from core.hub import lineage

from .labels import DETAIL_LABELS, HASH_KEYS, KIND_COLOURS, kind_label, relation_label
from .lib.layout import layered_positions
from .lib.metric_blocks import describe, is_scalar, split


ROW_HEIGHT_PX = 90
MIN_HEIGHT_PX, MAX_HEIGHT_PX = 380, 820


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
    rows = max([sum(1 for n in nodes if n["x"] == x) for x in {n["x"] for n in nodes}] or [1])
    return {
        # Tall enough that a busy column (many predictions) keeps its labels apart.
        "height": max(MIN_HEIGHT_PX, min(MAX_HEIGHT_PX, 200 + rows * ROW_HEIGHT_PX)),
        "nodes": nodes,
        "links": [{"source": e["source"], "target": e["target"], "label": str(relation_label(e["relation"]))}
                  for e in graph["edges"]],
        "categories": [{"name": str(kind_label(k)), "color": KIND_COLOURS.get(k, "#888")} for k in kinds],
    }


def node_rows(graph, exportable=frozenset()):
    """The graph's nodes for the table beside the chart, in walk order; a model version
    whose evidence pack the viewer may export (its pk in `exportable`) links to it."""
    return [{
        "label": n["label"], "kind": n["kind"], "kind_label": kind_label(n["kind"]),
        "colour": KIND_COLOURS.get(n["kind"], "#888"), "start": n["start"], "url": node_url(n["kind"], n["pk"]),
        "evidence_url": (reverse("api:version-evidence", args=[n["pk"]])
                         if n["kind"] == "model_version" and n["pk"] in exportable else None),
        "detail": [{"label": DETAIL_LABELS.get(key, key), "value": value, "is_hash": key in HASH_KEYS,
                    "blocks": _detail_blocks(value)}
                   for key, value in n["detail"].items()],
    } for n in graph["nodes"]]


def _detail_blocks(value):
    """A nested lineage detail (a version's metrics, a run's params) as tables, folded
    away on the lineage page: no charts there, the table beside the graph stays short."""
    if is_scalar(value):
        return []
    scalars, blocks = split(value) if isinstance(value, dict) else ([], [describe("", value)])
    head = [describe("", dict(scalars))] if scalars else []
    return [_without_charts(b) for b in head + blocks]


def _without_charts(block):
    block = {k: v for k, v in block.items() if k not in ("chart", "chart_id")}
    if "children" in block:
        block["children"] = [_without_charts(c) for c in block["children"]]
    return block


def metric_bars(metrics):
    """Top-level numeric metrics as a bar chart; nested or text metrics stay in the table."""
    items = [(k, v) for k, v in sorted((metrics or {}).items())
             if isinstance(v, Real) and not isinstance(v, bool)]
    return {"names": [k for k, _ in items], "values": [v for _, v in items]}


def metric_sections(metrics, prefix="metric-chart"):
    """A version's metrics for its page: top-level scalars as rows, nested results as
    tables and charts (lib/metric_blocks.py); each chart gets a page-unique data id."""
    scalars, blocks = split(metrics)
    counter = iter(range(1, 10_000))

    def number(block):
        if "chart" in block:
            block["chart_id"] = f"{prefix}-{next(counter)}"
        for child in block.get("children", ()):
            number(child)
    for block in blocks:
        number(block)
    return scalars, blocks
