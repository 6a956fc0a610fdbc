from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, render

from core.hub import lineage
from core.hub.graph import lineage_graph
from core.hub.models import AliasChangeRequest, ModelAlias
from core.hub.queries import visible_models, visible_versions
from core.platform import access
from core.platform.lib import roles

from ..charts import lineage_chart, metric_bars, metric_sections, node_rows
from ..scope import exportable_versions
from .publish import publish_context
from .htmx import render_page

VERSION_PAGE_DEPTH = 4
MAX_FILTER_CHARS = 100


@login_required
def model_list(request):
    query = request.GET.get("q", "").strip()[:MAX_FILTER_CHARS]
    models = (visible_models(request.user).select_related("organisation")
              .annotate(latest_version=Max("versions__version")).order_by("name", "organisation__name", "id"))
    if query:
        models = models.filter(
            Q(name__icontains=query) | Q(title__icontains=query) | Q(organisation__name__icontains=query)
            | Q(vertical__icontains=query) | Q(model_type__icontains=query)
        )
    models = list(models)
    aliases = {}
    for alias in ModelAlias.objects.filter(model__in=[m.pk for m in models]).select_related("version"):
        aliases.setdefault(alias.model_id, []).append(alias)
    for m in models:
        m.alias_list = aliases.get(m.pk, [])
    return render_page(request, "ui/models.html", "ui/partials/models_table.html", {"models": models, "q": query})


@login_required
def model_detail(request, model_id):
    model = get_object_or_404(visible_models(request.user).select_related("organisation", "created_by"), pk=model_id)
    versions = model.versions.select_related("created_by", "artifact").prefetch_related("aliases").order_by("-version")
    pending = list(model.alias_requests.filter(status=AliasChangeRequest.Status.PENDING)
                   .select_related("version", "requested_by"))
    approver = access.can(request.user, roles.APPROVE, model.organisation)
    for req in pending:  # maker-checker: never one's own request
        req.can_decide = approver and req.requested_by_id != request.user.pk
    return render(request, "ui/model.html", {
        "model": model,
        "versions": versions,
        "aliases": model.aliases.select_related("version", "updated_by", "approved_by"),
        "pending_requests": pending,
    })


@login_required
def version_detail(request, version_id):
    version = get_object_or_404(
        visible_versions(request.user).select_related("model", "model__organisation", "artifact", "created_by"),
        pk=version_id,
    )
    try:
        graph = lineage_graph(request.user, "model_version", version.pk, depth=VERSION_PAGE_DEPTH)
    except lineage.UnknownNode:  # visible a moment ago; treat a race like any unseen node
        graph = {"nodes": [], "edges": [], "hidden": 0, "truncated": False}
    metrics, blocks = metric_sections(version.metrics)
    # The version itself too: its graph is empty when it vanished from lineage in a race.
    exportable = exportable_versions(request.user, graph, also=[version.pk])
    return render(request, "ui/version.html", {
        "version": version,
        "model": version.model,
        "metrics": metrics,
        "metric_blocks": blocks,
        "raw_metrics": version.metrics if blocks else None,
        "params": sorted((version.params or {}).items()),
        "bars": metric_bars(version.metrics),
        "chart": lineage_chart(graph),
        "graph": graph,
        "nodes": node_rows(graph, exportable),
        "can_export": version.pk in exportable,
        "aliases": version.aliases.all(),
        "deployments": access.scope(version.deployments.all(), request.user),
        "evaluation_count": version.evaluations.count(),
        **publish_context(request.user, version),
    })
