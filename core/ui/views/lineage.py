from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.hub import lineage
from core.hub.graph import lineage_graph

from ..charts import lineage_chart, node_rows
from ..forms import LineageForm
from ..labels import kind_label
from ..scope import exportable_versions


@login_required
def lineage_page(request, kind, node_id):
    if kind not in lineage.NODE_KINDS:
        raise Http404(f"unknown node kind {kind!r}")
    form = LineageForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "ui/lineage.html", {"form": form, "kind": kind, "kind_label": kind_label(kind),
                                                   "node_id": node_id}, status=400)
    depth, direction = form.values() if form.is_bound else (3, "both")
    try:
        graph = lineage_graph(request.user, kind, node_id, depth=depth, direction=direction)
    except lineage.UnknownNode as exc:
        raise Http404(str(exc)) from None
    start = next((n for n in graph["nodes"] if n["start"]), None)
    return render(request, "ui/lineage.html", {
        "form": form if form.is_bound else LineageForm(initial={"depth": depth, "direction": direction}),
        "kind": kind,
        "kind_label": kind_label(kind),
        "node_id": node_id,
        "start": start,
        "graph": graph,
        "chart": lineage_chart(graph),
        "nodes": node_rows(graph, exportable_versions(request.user, graph)),
    })
