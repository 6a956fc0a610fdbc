"""The in-process networkx projection of a graph, built lazily per (graph id, version).

Each call reads the graph's current version (one indexed query) and rebuilds when it
moved, so a change made by any process is seen by every other on its next query. At
most PROJECTION_CACHE_SIZE graphs are kept per process (least recently used dropped).
"""
import threading
import time
from collections import OrderedDict

from django.conf import settings

from .lib.graph import build
from .models import Entity, Graph, Relation

_lock = threading.Lock()
_cache: "OrderedDict[int, tuple[int, object]]" = OrderedDict()
stats = {"builds": 0, "hits": 0, "last_build_s": 0.0}


def _capacity():
    return getattr(settings, "KG_PROJECTION_CACHE_SIZE", 8)


def _load(graph_id):
    entities = Entity.objects.filter(graph_id=graph_id).values_list("id", "key", "cls", "name", "attributes")
    keys = dict(Entity.objects.filter(graph_id=graph_id).values_list("id", "key"))
    relations = ((rid, typ, keys[s], keys[d], attrs) for rid, typ, s, d, attrs in
                 Relation.objects.filter(graph_id=graph_id).values_list("id", "type", "src_id", "dst_id", "attributes")
                 .iterator(chunk_size=5000))
    return build(entities.iterator(chunk_size=5000), relations)


def projection(graph):
    """The MultiDiGraph of `graph` (a Graph or its id) at its current version. Treat it as
    read-only: it is shared by every request in the process."""
    graph_id = graph.pk if isinstance(graph, Graph) else int(graph)
    row = Graph.objects.filter(pk=graph_id).values_list("version", "created_at").first()
    if row is None:
        raise Graph.DoesNotExist(f"no graph {graph_id}")
    # created_at tells a graph from a deleted one whose id was reused (SQLite reuses ids).
    version = (row[0], row[1].isoformat())
    with _lock:
        cached = _cache.get(graph_id)
        if cached is not None and cached[0] == version:
            _cache.move_to_end(graph_id)
            stats["hits"] += 1
            return cached[1]
    started = time.perf_counter()
    # The version is read before the rows: a change committed in between makes the rows
    # newer than the label, never older, and the next call rebuilds.
    g = _load(graph_id)
    g.graph.update(graph_id=graph_id, version=version[0])
    with _lock:
        _cache[graph_id] = (version, g)
        _cache.move_to_end(graph_id)
        while len(_cache) > _capacity():
            _cache.popitem(last=False)
        stats["builds"] += 1
        stats["last_build_s"] = time.perf_counter() - started
    return g


def cached_version(graph_id):
    """Tests and diagnostics: the version held in this process, or None."""
    with _lock:
        cached = _cache.get(graph_id)
        return None if cached is None else cached[0][0]


def clear():
    with _lock:
        _cache.clear()
