"""A (sub)graph as JSON or GraphML. Pure: no Django."""
import io
import json

import networkx as nx

MAX_EXPORT_ITEMS = 200_000  # nodes + edges in one export


class ExportTooLarge(ValueError):
    pass


def check_size(g, limit=MAX_EXPORT_ITEMS):
    size = g.number_of_nodes() + g.number_of_edges()
    if size > limit:
        raise ExportTooLarge(f"the export would hold {size} nodes and edges, over the {limit} limit; "
                             f"export the neighbourhood of an entity instead (around=<key>&hops=N)")


def to_json(g):
    return {
        "nodes": [{"key": n, "id": d.get("id"), "cls": d.get("cls"), "name": d.get("name", ""),
                   "attributes": d.get("attributes", {})} for n, d in g.nodes(data=True)],
        "edges": [{"id": k, "src": u, "dst": v, "type": d.get("type"), "attributes": d.get("attributes", {})}
                  for u, v, k, d in g.edges(keys=True, data=True)],
    }


def _scalar(value):
    """GraphML holds text, numbers and booleans; anything else goes as JSON text."""
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return value
    if value is None:
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def to_graphml(g, *, stringify=True):
    """GraphML bytes. Each entity attribute becomes a node data key `a_<name>`, each
    relation attribute an edge data key `a_<name>`; values are written as text when
    stringify (so one key keeps one type across nodes), else as their scalar type."""
    out = nx.MultiDiGraph()
    conv = (lambda v: "" if v is None else (v if isinstance(v, str) else
                                             json.dumps(v, ensure_ascii=False) if not isinstance(v, (int, float, bool))
                                             else str(v).lower() if isinstance(v, bool) else repr(v))) \
        if stringify else _scalar
    for n, d in g.nodes(data=True):
        data = {"cls": str(d.get("cls", "")), "name": str(d.get("name", "")), "entity_id": str(d.get("id", ""))}
        for attr, value in (d.get("attributes") or {}).items():
            data[f"a_{attr}"] = conv(value)
        out.add_node(str(n), **data)
    for u, v, k, d in g.edges(keys=True, data=True):
        data = {"type": str(d.get("type", "")), "relation_id": str(k)}
        for attr, value in (d.get("attributes") or {}).items():
            data[f"a_{attr}"] = conv(value)
        out.add_edge(str(u), str(v), key=str(k), **data)
    buf = io.BytesIO()
    nx.write_graphml(out, buf, encoding="utf-8", prettyprint=False)
    return buf.getvalue()
