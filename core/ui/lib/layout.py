"""Left-to-right layered layout of a lineage graph. Pure: no Django.

Columns follow the life of a model (data -> run -> model -> deployment -> prediction),
so the same kind always sits in the same column and a reader scans lineage like a
timeline. Nodes of a kind that derive from each other (a dataset version derived
from another) get their own column right of their source so the edge between them
stays visible."""

COLUMN_GAP = 240
ROW_GAP = 90


def layered_positions(nodes, edges, kind_order):
    """nodes: dicts with "id" and "kind"; edges: dicts with "source" and "target".
    Returns {node id: (x, y)} with columns by kind_order and rows centred on y = 0."""
    rank = {kind: i for i, kind in enumerate(kind_order)}
    kind_of = {n["id"]: n["kind"] for n in nodes}
    sub = _sub_columns(nodes, edges, kind_of)

    columns = {}
    for n in nodes:
        key = (rank.get(n["kind"], len(kind_order)), sub[n["id"]])
        columns.setdefault(key, []).append(n["id"])

    positions = {}
    for x, key in enumerate(sorted(columns)):
        ids = columns[key]
        top = -(len(ids) - 1) * ROW_GAP / 2
        for row, node_id in enumerate(ids):
            positions[node_id] = (x * COLUMN_GAP, top + row * ROW_GAP)
    return positions


def _sub_columns(nodes, edges, kind_of):
    """Depth of each node along same-kind edges (0 when it has no same-kind source).
    Bounded by the node count, so a cycle cannot loop for ever."""
    depth = {n["id"]: 0 for n in nodes}
    same_kind = [(e["source"], e["target"]) for e in edges
                 if e["source"] in kind_of and kind_of.get(e["source"]) == kind_of.get(e["target"])]
    for _ in range(len(nodes)):
        changed = False
        for src, dst in same_kind:
            if depth[dst] < depth[src] + 1 <= len(nodes):
                depth[dst] = depth[src] + 1
                changed = True
        if not changed:
            break
    return depth
