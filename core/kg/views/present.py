"""What the viewer draws: an entity's neighbourhood on the projection as chart JSON (for
static/kg/viewer.js) and as rows of triples. No requests here, only the graph."""
from ..lib import paths

# Class colours in the order the ontology declares its classes, so a class keeps its
# colour from page to page (and from graph to graph of one vertical).
PALETTE = ["#2f6fc4", "#e8871e", "#1e9e6a", "#c6372f", "#7b4fc9", "#0f8b8d", "#b7711a", "#d6457a",
           "#5c7c2a", "#455a78", "#9a6b3c", "#3aa0d8", "#8a8f2e", "#a23b72", "#4f6d7a", "#c77d4a"]
OTHER = "#8793a3"

HOP_CHOICES = list(range(1, paths.MAX_HOPS + 1))
NODE_CHOICES = [50, 100, 200, 500]
DEFAULT_HOPS = 2
DEFAULT_NODES = 200
MAX_TRIPLE_ROWS = 400
# Edge labels on every edge while they stay readable; beyond this, on hover.
EDGE_LABELS_UP_TO = 60
DEFAULT_CENTRE_SCAN = 5000


def class_colours(ontology):
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(ontology.classes)}


def label(g, key):
    return g.nodes[key].get("name") or key


def default_centre(g):
    """Where a graph opens: the best-connected of its first entities (a scan of the
    whole projection would cost a second on a graph of a million)."""
    best, best_degree = None, -1
    for n, key in enumerate(g):
        if n >= DEFAULT_CENTRE_SCAN:
            break
        degree = g.degree(key)
        if degree > best_degree:
            best, best_degree = key, degree
    return best


def neighbourhood(g, centre, *, hops, max_nodes, colours, marked=()):
    """{"chart": ..., "triples": [...], "nodes": n, "edges": n, "truncated": bool, ...}
    for the entities within `hops` of `centre` (either direction), at most max_nodes.
    The `marked` entities (an answer's citations) are drawn too, however far they lie,
    flagged with the relations between them; their distance is None when beyond the hops."""
    result = paths.neighbourhood(g, centre, hops=hops, max_nodes=max_nodes)
    dist = dict(result["nodes"])
    marked = {k for k in marked if k in g}
    for key in sorted(marked):
        dist.setdefault(key, None)
    sub = g.subgraph(dist)
    order = {c: i for i, c in enumerate(colours)}
    classes = sorted({g.nodes[k].get("cls") or "" for k in dist}, key=lambda c: (order.get(c, len(order)), c))
    category = {c: i for i, c in enumerate(classes)}
    nodes = []
    for key, d in dist.items():
        data = g.nodes[key]
        nodes.append({"id": key, "name": label(g, key), "cls": data.get("cls") or "", "distance": d,
                      "category": category[data.get("cls") or ""], "centre": key == centre,
                      "degree": g.degree(key), "marked": key in marked})

    def far(key):
        return hops + 1 if dist[key] is None else dist[key]

    def cited(u, v):
        return u in marked and v in marked

    # Cited relations first, so the table shows them however many rows it cuts.
    edges = sorted(sub.edges(keys=True, data=True),
                   key=lambda e: (not cited(e[0], e[1]), min(far(e[0]), far(e[1])), max(far(e[0]), far(e[1])),
                                  e[3].get("type", ""), str(e[0]), str(e[1])))
    links = [{"source": u, "target": v, "label": d.get("type", ""), "id": str(k), "marked": cited(u, v)}
             for u, v, k, d in edges]
    triples = []
    for u, v, k, d in edges[:MAX_TRIPLE_ROWS]:
        triples.append({
            "id": k, "type": d.get("type", ""), "attributes": d.get("attributes") or {}, "marked": cited(u, v),
            "src": _end(g, u, dist, colours), "dst": _end(g, v, dist, colours),
        })
    hidden_neighbours = sum(1 for k in dist if dist[k] == hops and g.degree(k) > sub.degree(k))
    centre_data = g.nodes[centre]
    return {
        "chart": {
            "centre": centre,
            "nodes": nodes,
            "links": links,
            "categories": [{"name": c or "?", "color": colours.get(c, OTHER)} for c in classes],
            "edge_labels": len(links) <= EDGE_LABELS_UP_TO,
            "marked": sorted(marked),
        },
        "centre": {"key": centre, "name": centre_data.get("name") or "", "cls": centre_data.get("cls") or "",
                   "colour": colours.get(centre_data.get("cls"), OTHER), "id": centre_data.get("id"),
                   "attributes": sorted((centre_data.get("attributes") or {}).items()),
                   "degree": g.degree(centre)},
        "triples": triples,
        "n_nodes": len(nodes),
        "n_marked": len(marked),
        "n_edges": len(links),
        "hidden_rows": max(0, len(links) - MAX_TRIPLE_ROWS),
        "truncated": result["truncated"],
        "frontier": hidden_neighbours,
        "classes": [{"name": c, "colour": colours.get(c, OTHER),
                     "count": sum(1 for n in nodes if n["cls"] == c)} for c in classes],
    }


def _end(g, key, dist, colours):
    data = g.nodes[key]
    return {"key": key, "name": data.get("name") or "", "cls": data.get("cls") or "",
            "colour": colours.get(data.get("cls"), OTHER), "distance": dist[key]}
