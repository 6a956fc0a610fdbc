"""Path queries over a knowledge graph (see graph.py for its shape), each with hard
limits so no request can hang a worker. Pure: no Django.

Direction: by default a path may follow a relation either way (a knowledge graph's
edge direction is a naming choice); directed=True follows src -> dst only.
"""
import time
from collections import deque


MAX_HOPS = 6
MAX_NODES = 5000          # neighbourhood result cap (the default is smaller)
DEFAULT_NODES = 500
MAX_CUTOFF = 6
MAX_PATHS = 100
DEFAULT_TIME_BUDGET_S = 2.0
MAX_TIME_BUDGET_S = 10.0


class QueryLimitError(ValueError):
    """A request over a hard limit (or malformed): answered 400 with the field and reason."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


class UnknownEntity(QueryLimitError):
    pass


def _int(value, field, *, default, low, high, what):
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QueryLimitError(field, f"{field} must be an integer, got {value!r}") from None
    if number < low or number > high:
        raise QueryLimitError(field, f"{field}={number} is outside {low}..{high}: {what}")
    return number


def check_hops(value, default=1):
    return _int(value, "hops", default=default, low=0, high=MAX_HOPS,
                what=f"neighbourhoods are limited to {MAX_HOPS} hops")


def check_max_nodes(value, default=DEFAULT_NODES):
    return _int(value, "max_nodes", default=default, low=1, high=MAX_NODES,
                what=f"at most {MAX_NODES} nodes are returned")


def check_cutoff(value, default=4):
    if value is None or value == "":
        if default is None:
            raise QueryLimitError("cutoff", f"cutoff is required for all paths (at most {MAX_CUTOFF}): "
                                            f"unbounded path enumeration is refused")
    return _int(value, "cutoff", default=default, low=1, high=MAX_CUTOFF,
                what=f"paths are limited to {MAX_CUTOFF} hops")


def check_max_paths(value, default=20):
    return _int(value, "max_paths", default=default, low=1, high=MAX_PATHS,
                what=f"at most {MAX_PATHS} paths are returned")


def check_time_budget(value, default=DEFAULT_TIME_BUDGET_S):
    if value is None or value == "":
        return default
    try:
        budget = float(value)
    except (TypeError, ValueError):
        raise QueryLimitError("time_budget", f"time_budget must be a number of seconds, got {value!r}") from None
    if not 0 < budget <= MAX_TIME_BUDGET_S:
        raise QueryLimitError("time_budget", f"time_budget={budget} is outside (0, {MAX_TIME_BUDGET_S}] seconds")
    return budget


def _node(g, key, field):
    if key is None or key == "":
        raise QueryLimitError(field, f"{field} (an entity key) is required")
    if key not in g:
        raise UnknownEntity(field, f"unknown entity {key!r} ({field})")
    return key


def _neighbours(g, directed):
    if directed:
        return lambda n: g.successors(n)

    def both(n):
        seen = set()
        for m in g.successors(n):
            if m not in seen:
                seen.add(m)
                yield m
        for m in g.predecessors(n):
            if m not in seen:
                seen.add(m)
                yield m
    return both


def neighbourhood(g, center, *, hops=1, max_nodes=DEFAULT_NODES, directed=False):
    """Nodes within `hops` of `center`, breadth first, at most max_nodes.
    Returns {"nodes": {key: distance}, "truncated": bool}."""
    center = _node(g, center, "entity")
    hops, max_nodes = check_hops(hops), check_max_nodes(max_nodes)
    nbrs = _neighbours(g, directed)
    dist = {center: 0}
    queue = deque([center])
    truncated = False
    while queue:
        n = queue.popleft()
        if dist[n] >= hops:
            continue
        for m in nbrs(n):
            if m in dist:
                continue
            if len(dist) >= max_nodes:
                truncated = True
                queue.clear()
                break
            dist[m] = dist[n] + 1
            queue.append(m)
    return {"nodes": dist, "truncated": truncated}


def _edges_along(g, path, directed):
    """One relation per step of a node path (the lowest relation id where there are several)."""
    steps = []
    for a, b in zip(path, path[1:]):
        options = []
        for key, data in (g.get_edge_data(a, b) or {}).items():
            options.append((key, a, b, data["type"]))
        if not directed:
            for key, data in (g.get_edge_data(b, a) or {}).items():
                options.append((key, b, a, data["type"]))
        key, src, dst, typ = min(options, key=lambda o: str(o[0]))
        steps.append({"relation": key, "src": src, "dst": dst, "type": typ})
    return steps


def check_max_hops(value, default=None):
    if value is None or value == "":
        return default
    return _int(value, "max_hops", default=default, low=1, high=10_000, what="a bound on the path's length")


def shortest_path(g, src, dst, *, directed=False, max_hops=None, time_budget_s=DEFAULT_TIME_BUDGET_S,
                  clock=time.monotonic):
    """Fewest-hops path, None when there is none (or none within max_hops).

    A bidirectional breadth-first search straight on the projection's adjacency dicts:
    networkx's undirected view costs O(|V|) to build per call (0.4 s at 1M relations, see
    bench/README.md), and searching from both ends visits far fewer nodes. The levels are
    expanded whole and the smaller frontier first, so the first meeting node lies on a
    shortest path. Over the time budget it stops with a 400, never a hung worker."""
    src, dst = _node(g, src, "src"), _node(g, dst, "dst")
    budget = check_time_budget(time_budget_s)
    if src == dst:
        return {"nodes": [src], "edges": [], "length": 0}
    succ, pred = g._succ, g._pred
    fwd_adj = (succ,) if directed else (succ, pred)
    back_adj = (pred,) if directed else (succ, pred)
    # parent links from each end; a meeting node joins the two halves
    from_src, from_dst = {src: None}, {dst: None}
    front_src, front_dst = [src], [dst]
    depth = 0  # levels expanded on both sides together = the length of any path found next, minus one
    deadline, steps = clock() + budget, 0
    meet = None
    while front_src and front_dst and meet is None:
        if max_hops is not None and depth >= max_hops:
            return None
        forward = len(front_src) <= len(front_dst)
        seen, other, front, adjs = ((from_src, from_dst, front_src, fwd_adj) if forward
                                    else (from_dst, from_src, front_dst, back_adj))
        nxt = []
        for u in front:
            steps += 1
            if steps % 4096 == 0 and clock() > deadline:
                raise QueryLimitError("time_budget", f"no path found within the time budget of {budget:g} s; "
                                                     f"bound the search with max_hops")
            for adj in adjs:
                for v in adj[u]:
                    if v in seen:
                        continue
                    seen[v] = u
                    if v in other:
                        meet = v
                        break
                    nxt.append(v)
                if meet is not None:
                    break
            if meet is not None:
                break
        depth += 1
        if forward:
            front_src = nxt
        else:
            front_dst = nxt
    if meet is None:
        return None
    path, n = [], meet
    while n is not None:
        path.append(n)
        n = from_src[n]
    path.reverse()
    n = from_dst[meet]
    while n is not None:
        path.append(n)
        n = from_dst[n]
    if max_hops is not None and len(path) - 1 > max_hops:
        return None
    return {"nodes": path, "edges": _edges_along(g, path, directed), "length": len(path) - 1}


def all_paths(g, src, dst, *, cutoff, max_paths=20, time_budget_s=DEFAULT_TIME_BUDGET_S, directed=False,
              clock=time.monotonic):
    """Simple paths src -> dst of at most `cutoff` hops, depth first, stopping at max_paths
    or when the time budget is spent (then truncated, with the reason)."""
    src, dst = _node(g, src, "src"), _node(g, dst, "dst")
    cutoff = check_cutoff(cutoff, default=None)
    max_paths = check_max_paths(max_paths)
    budget = check_time_budget(time_budget_s)
    deadline = clock() + budget
    nbrs = _neighbours(g, directed)
    paths, reason = [], None
    if src == dst:
        return {"paths": [], "truncated": False, "reason": None}
    path, on_path = [src], {src}
    stack = [nbrs(src)]
    steps = 0
    while stack:
        steps += 1
        if steps % 256 == 0 and clock() > deadline:
            reason = f"time budget of {budget:g} s spent"
            break
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if child in on_path:
            continue
        if child == dst:
            found = path + [dst]
            paths.append({"nodes": found, "edges": _edges_along(g, found, directed), "length": len(found) - 1})
            if len(paths) >= max_paths:
                reason = f"max_paths={max_paths} reached"
                break
            continue
        if len(path) < cutoff:
            path.append(child)
            on_path.add(child)
            stack.append(nbrs(child))
    return {"paths": paths, "truncated": reason is not None, "reason": reason}


def subgraph(g, nodes):
    return g.subgraph(nodes)
