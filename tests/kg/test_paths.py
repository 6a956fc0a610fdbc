"""Path queries keep their hard limits: an over-limit request is refused, a costly one stops
at max_paths or its time budget instead of hanging the worker."""
import itertools

import networkx as nx
import pytest

from core.kg.lib import export, paths
from core.kg.lib.graph import build


def chain(n):
    return build([(i, f"n{i}", "Thing", f"Node {i}", {"i": i}) for i in range(n)],
                 [(i, "next", f"n{i}", f"n{i + 1}", {}) for i in range(n - 1)])


def complete(n):
    nodes = [(i, f"n{i}", "Thing", "", {}) for i in range(n)]
    rels = [(k, "link", f"n{a}", f"n{b}", {}) for k, (a, b) in enumerate(itertools.combinations(range(n), 2))]
    return build(nodes, rels)


def test_neighbourhood_counts_hops_and_caps_nodes():
    g = chain(20)
    assert paths.neighbourhood(g, "n10", hops=2)["nodes"] == {"n10": 0, "n9": 1, "n11": 1, "n8": 2, "n12": 2}
    assert set(paths.neighbourhood(g, "n10", hops=2, directed=True)["nodes"]) == {"n10", "n11", "n12"}
    capped = paths.neighbourhood(g, "n10", hops=6, max_nodes=4)
    assert len(capped["nodes"]) == 4 and capped["truncated"] is True


@pytest.mark.parametrize("call, field", [
    (lambda g: paths.neighbourhood(g, "n0", hops=7), "hops"),
    (lambda g: paths.neighbourhood(g, "n0", hops=-1), "hops"),
    (lambda g: paths.neighbourhood(g, "n0", max_nodes=paths.MAX_NODES + 1), "max_nodes"),
    (lambda g: paths.all_paths(g, "n0", "n3", cutoff=None), "cutoff"),
    (lambda g: paths.all_paths(g, "n0", "n3", cutoff=7), "cutoff"),
    (lambda g: paths.all_paths(g, "n0", "n3", cutoff=3, max_paths=101), "max_paths"),
    (lambda g: paths.all_paths(g, "n0", "n3", cutoff=3, time_budget_s=60), "time_budget"),
    (lambda g: paths.all_paths(g, "n0", "zzz", cutoff=3), "dst"),
    (lambda g: paths.shortest_path(g, "", "n3"), "src"),
])
def test_over_limit_or_malformed_requests_are_refused(call, field):
    with pytest.raises(paths.QueryLimitError) as info:
        call(chain(5))
    assert info.value.field == field


def test_shortest_path_names_the_relations():
    g = chain(6)
    result = paths.shortest_path(g, "n5", "n2")
    assert result["nodes"] == ["n5", "n4", "n3", "n2"] and result["length"] == 3
    assert result["edges"][0] == {"relation": 4, "src": "n4", "dst": "n5", "type": "next"}
    assert paths.shortest_path(g, "n5", "n2", directed=True) is None


def test_all_paths_matches_networkx_within_the_cutoff():
    g = complete(6)
    got = {tuple(p["nodes"]) for p in paths.all_paths(g, "n0", "n5", cutoff=3, max_paths=100)["paths"]}
    expected = {tuple(p) for p in nx.all_simple_paths(g.to_undirected(), "n0", "n5", cutoff=3)}
    assert got == expected and len(got) == 1 + 4 + 12


def test_all_paths_stop_at_max_paths_and_at_the_time_budget():
    g = complete(40)  # billions of simple paths of length <= 6
    result = paths.all_paths(g, "n0", "n39", cutoff=6, max_paths=100)
    assert len(result["paths"]) == 100 and result["truncated"] and "max_paths" in result["reason"]
    ticks = itertools.count()
    # A fake clock: every call is one second later, so the budget runs out after the first check.
    result = paths.all_paths(complete(40), "n0", "n1", cutoff=6, max_paths=100, time_budget_s=1.0,
                             clock=lambda: next(ticks), directed=True)
    assert result["truncated"] and "time budget" in result["reason"]


def test_export_json_and_graphml_round_trip():
    g = build([(1, "a", "Thing", "A", {"tags": ["x", "y"], "ok": True, "none": None}), (2, "b", "Thing", "B", {})],
              [(7, "link", "a", "b", {"w": 1.5})])
    doc = export.to_json(g)
    assert doc["edges"] == [{"id": 7, "src": "a", "dst": "b", "type": "link", "attributes": {"w": 1.5}}]
    import io

    back = nx.read_graphml(io.BytesIO(export.to_graphml(g)))
    assert back.nodes["a"]["cls"] == "Thing" and back.nodes["a"]["a_tags"] == '["x", "y"]'
    assert back.nodes["a"]["a_ok"] == "true" and back.nodes["a"]["a_none"] == ""
    (edge,) = back.edges(data=True)
    assert edge[2]["type"] == "link" and edge[2]["a_w"] == "1.5"
    with pytest.raises(export.ExportTooLarge, match="around="):
        export.check_size(g, limit=2)


def random_graph(n, m, seed):
    import random

    rng = random.Random(seed)
    nodes = [(i, f"n{i}", "Thing", "", {}) for i in range(n)]
    rels = [(k, "link", f"n{rng.randrange(n)}", f"n{rng.randrange(n)}", {}) for k in range(m)]
    return build(nodes, rels)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("directed", [False, True])
def test_shortest_path_is_as_short_as_networkx_finds(seed, directed):
    """The bidirectional search against networkx on sparse random multigraphs (self-loops,
    parallel relations, unreachable pairs included); every step is a real relation."""
    g = random_graph(120, 150, seed)
    reference = g if directed else g.to_undirected()
    for a, b in itertools.islice(itertools.product(range(0, 120, 7), range(3, 120, 11)), 120):
        src, dst = f"n{a}", f"n{b}"
        got = paths.shortest_path(g, src, dst, directed=directed)
        if not nx.has_path(reference, src, dst):
            assert got is None
            continue
        assert got["length"] == nx.shortest_path_length(reference, src, dst)
        assert got["nodes"][0] == src and got["nodes"][-1] == dst and len(got["edges"]) == got["length"]
        for (u, v), edge in zip(zip(got["nodes"], got["nodes"][1:]), got["edges"]):
            assert {edge["src"], edge["dst"]} == {u, v}
            if directed:
                assert (edge["src"], edge["dst"]) == (u, v)


def test_shortest_path_respects_max_hops_and_its_time_budget():
    g = chain(30)
    assert paths.shortest_path(g, "n0", "n10", max_hops=10)["length"] == 10
    assert paths.shortest_path(g, "n0", "n10", max_hops=9) is None
    with pytest.raises(paths.QueryLimitError) as info:
        paths.check_max_hops("0")
    assert info.value.field == "max_hops"
    ticks = itertools.count(step=5.0)  # each clock reading 5 s later: the budget is spent at the first check
    big = chain(20_000)
    with pytest.raises(paths.QueryLimitError) as info:
        paths.shortest_path(big, "n0", "n19999", time_budget_s=1, clock=lambda: next(ticks))
    assert info.value.field == "time_budget" and "max_hops" in str(info.value)
