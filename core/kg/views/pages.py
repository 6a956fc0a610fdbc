"""The knowledge-graph viewer: the graphs a user may see, and one entity's neighbourhood
drawn as a force-directed graph with the triples behind it. Read-only; a graph of another
organisation does not exist for the user (404)."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.ui.views.htmx import render_page, wants_fragment

from ..lib import paths
from ..models import Entity, Relation
from ..ontologies import get_ontology
from ..projection import projection
from ..queries import visible_graphs
from . import ask, present

SEARCH_LIMIT = 20
# An answer's citations drawn beside the neighbourhood (?mark=key, repeated): enough for
# a list answer, few enough to keep the drawing readable and the URL short.
MAX_MARKS = 60


class ViewForm(forms.Form):
    entity = forms.CharField(label=_("Entity"), max_length=200, required=False)
    hops = forms.TypedChoiceField(label=_("Hops"), coerce=int, required=False, empty_value=present.DEFAULT_HOPS,
                                  choices=[(h, h) for h in present.HOP_CHOICES])
    max_nodes = forms.TypedChoiceField(label=_("At most"), coerce=int, required=False,
                                       empty_value=present.DEFAULT_NODES,
                                       choices=[(n, n) for n in present.NODE_CHOICES])


def graph_or_404(user, graph_id):
    return get_object_or_404(visible_graphs(user), pk=graph_id)


def _count(model):
    rows = model.objects.filter(graph=OuterRef("pk")).order_by().values("graph").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@login_required
def graph_list(request):
    graphs = (visible_graphs(request.user).annotate(n_entities=_count(Entity), n_relations=_count(Relation))
              .order_by("organisation__name", "name"))
    return render(request, "kg/graphs.html", {"graphs": graphs, "section": "kg"})


@login_required
def graph_page(request, graph_id):
    graph = graph_or_404(request.user, graph_id)
    form = ViewForm(request.GET)
    context = {"section": "kg", "graph": graph, "form": form, "hop_choices": present.HOP_CHOICES,
               "node_choices": present.NODE_CHOICES, "marks": marked_keys(request)}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        return render_page(request, "kg/graph.html", "kg/partials/view.html", context, status=400)
    g = projection(graph)
    hops, max_nodes = form.cleaned_data["hops"], form.cleaned_data["max_nodes"]
    centre = form.cleaned_data["entity"].strip() or present.default_centre(g)
    context.update(hops=hops, max_nodes=max_nodes, centre_key=centre or "", version=g.graph.get("version"),
                   graph_nodes=g.number_of_nodes(), graph_edges=g.number_of_edges())
    if not wants_fragment(request):  # the ask box is outside the fragment HTMX swaps
        context["ask_examples"] = ask.examples(g, graph.vertical, centre)
    if centre is None:  # an empty graph
        return render_page(request, "kg/graph.html", "kg/partials/view.html", context)
    if centre not in g:
        context["errors"] = [_("No entity %(key)s in this graph.") % {"key": centre}]
        return render_page(request, "kg/graph.html", "kg/partials/view.html", context, status=404)
    colours = present.class_colours(get_ontology(graph.vertical))
    try:
        view = present.neighbourhood(g, centre, hops=hops, max_nodes=max_nodes, colours=colours,
                                     marked=context["marks"])
    except paths.QueryLimitError as exc:  # the form's choices keep within the limits; belt and braces
        context["errors"] = [str(exc)]
        return render_page(request, "kg/graph.html", "kg/partials/view.html", context, status=400)
    view["chart"]["text"] = {"cls": gettext("Class"), "key": gettext("Key"), "distance": gettext("Hops from the centre"),
                             "relation": gettext("Relation"), "recentre": gettext("Click to centre the graph here"),
                             "cited": gettext("Cited by the answer")}
    context["view"] = view
    return render_page(request, "kg/graph.html", "kg/partials/view.html", context)


def marked_keys(request):
    """The ?mark= keys (an answer's citations), deduplicated, in order, at most MAX_MARKS."""
    keys = dict.fromkeys(k.strip()[:200] for k in request.GET.getlist("mark") if k.strip())
    return list(keys)[:MAX_MARKS]


@login_required
def entity_search(request, graph_id):
    """HTMX: the entities the text names, ranked by the knowledge search (lib/qa/search.py:
    names in either language, aliases, numbers as people write them, a branch by its ends),
    then those whose key or name contains it."""
    graph = graph_or_404(request.user, graph_id)
    q = request.GET.get("q", "").strip()[:200]
    results = []
    if q:
        results = _ranked(graph, q) + list(
            Entity.objects.filter(graph=graph).filter(Q(key__icontains=q) | Q(name__icontains=q))
            .order_by("key").values("key", "name", "cls")[:SEARCH_LIMIT + 1])
        seen = set()
        results = [r for r in results if not (r["key"] in seen or seen.add(r["key"]))][:SEARCH_LIMIT + 1]
    colours = present.class_colours(get_ontology(graph.vertical))
    for r in results:
        r["colour"] = colours.get(r["cls"], present.OTHER)
    template = "kg/partials/search_results.html"
    context = {"section": "kg", "graph": graph, "q": q, "results": results[:SEARCH_LIMIT], "more": len(results) > SEARCH_LIMIT}
    if wants_fragment(request):
        return render(request, template, context)
    # Without JavaScript the search form lands here: show the results in the page.
    return render(request, "kg/search.html", context)


def _ranked(graph, q):
    """The knowledge search's hits, [] when the sentence encoder cannot load (the plain
    key/name match still answers)."""
    from .. import embeddings
    from ..lib.qa.search import search
    from ..lib.qa.text import QAError

    try:
        index = embeddings.qa_index(graph)
        hits = search(index, q, limit=SEARCH_LIMIT + 1)
    except (embeddings.EmbedderUnavailable, QAError):
        return []
    g = index.g
    return [{"key": h["key"], "name": g.nodes[h["key"]].get("name", ""), "cls": g.nodes[h["key"]].get("cls")}
            for h in hits]
