"""Knowledge-graph path queries on a graph of 1 million relations (issue 5).

Target: "a graph of 1 million edges loads and answers a 4-hop neighbourhood or a shortest
path query in under 50 ms p50", measured against raw networkx on the same in-memory graph.

The graph is a synthetic power grid typed by the energy ontology, shaped like the grids
verticals/energy imports from pandapower (lines and transformers are entities joined to
their buses by `connects`):

* a meshed transmission core: substations scattered over a plane, joined by the minimum
  spanning tree of their nearest-neighbour graph plus short extra lines (~1.27 lines per
  substation: mean degree ~2.5 among the 220 kV buses, as in real transmission grids), 8 %
  of them with a generator;
* in each substation a transformer from the 220 kV bus to a 20 kV bus, from which 3-8
  radial feeders of 10-70 buses hang (a trunk with laterals), 60 % of the buses with a load;
* normally-open tie switches between feeder ends of neighbouring substations (open rings),
  substations located in 1 of 20 regions.

The degree distribution is printed. The graph is loaded through the platform
(core.kg.actions.imports.import_triples: validated, audited, bulk insert) unless --load bulk
(bulk_create straight into the tables, for a quick look), then the projection is built by
core.kg.projection.projection, and these are timed, interleaved call by call on the same
random centres and pairs of buses:

| path | what runs |
| --- | --- |
| lib | core.kg.lib.paths.neighbourhood(g, c, hops=4, max_nodes=N) / shortest_path(g, s, t) on the projection |
| view | what the API view does without HTTP: projection() lookup, the lib call, the subgraph and JSON payload |
| API | GET /api/v1/kg/graphs/<id>/entities/<id>/neighbourhood/?hops=4 and .../shortest-path/ (Django test Client, token) |
| raw | nx.single_source_shortest_path_length(G, c, cutoff=4) / nx.shortest_path(G, s, t) — **the baseline**, on the projection's own undirected view |
| raw simple | the same on a plain nx.Graph copy of the projection (the fastest raw networkx can do) |

    .venv/bin/python bench/kg_paths.py [--edges 1000000] [--samples 200] [--api-samples 40]
        [--max-nodes 500] [--load action|bulk] [--seed 0]

Fresh SQLite database in a temp folder unless DATABASE_URL is set (then it creates and
drops its own test database there). PASS/MISS is information: exits 0 when it ran.
"""
import argparse
import gc
import os
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django_env import setup_django  # noqa: E402  (bench/ is on sys.path as the script's folder)

TARGET_MS = 50.0


def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the synthetic grid --------------------------------------------------------------------

def generate(n_edges, seed=0):
    """(entities, relations, figures): EntityRow / RelationRow lists of a grid with about
    n_edges relations (see the module doc). Deterministic for a seed."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
    from scipy.spatial import cKDTree

    from core.kg.lib.triples import EntityRow, RelationRow

    rng = np.random.default_rng(seed)
    entities, relations = [], []
    ent, rel = entities.append, relations.append
    # ~578 relations per substation (5.5 feeders of 40 buses, 2.6 relations per bus, plus its
    # own): size the core from the target.
    n_sub = max(4, round(n_edges / 578))
    n_regions = 20 if n_sub >= 200 else max(1, n_sub // 10)
    side = 1000.0  # km
    pts = rng.uniform(0, side, size=(n_sub, 2))
    tree = cKDTree(pts)
    k = min(8, n_sub - 1)
    dist, idx = tree.query(pts, k=k + 1)
    rows = np.repeat(np.arange(n_sub), k)
    cols = idx[:, 1:].ravel()
    w = dist[:, 1:].ravel()
    knn = coo_matrix((w, (rows, cols)), shape=(n_sub, n_sub)).tocsr()
    knn = knn.maximum(knn.T)
    mst = minimum_spanning_tree(knn).tocoo()
    core = {(min(a, b), max(a, b)) for a, b in zip(mst.row.tolist(), mst.col.tolist())}
    n_comp, labels = connected_components(knn, directed=False)
    if n_comp > 1:  # join stray clusters to their nearest neighbour in another one
        for c in range(1, n_comp):
            members = np.flatnonzero(labels == c)
            others = np.flatnonzero(labels != c)
            d = ((pts[members][:, None, :] - pts[others][None, :, :]) ** 2).sum(-1)
            i, j = np.unravel_index(np.argmin(d), d.shape)
            a, b = int(members[i]), int(others[j])
            core.add((min(a, b), max(a, b)))
            labels[labels == c] = labels[b]
    extra = []
    for a in range(n_sub):
        for b in idx[a, 1:4].tolist():
            e = (min(a, b), max(a, b))
            if e not in core:
                extra.append((float(np.hypot(*(pts[a] - pts[b]))), e))
    extra.sort()
    want = int(0.45 * n_sub)
    core.update(e for _, e in extra[:want])
    core = sorted(core)

    region_of = (np.floor(pts[:, 0] / side * 5).clip(0, 4) * 4 + np.floor(pts[:, 1] / side * 4).clip(0, 3)).astype(int)
    region_of %= n_regions
    for r in range(n_regions):
        ent(EntityRow(key=f"zone:{r}", cls="Region", name=f"Region {r}", attributes={"code": f"R{r}"}))

    bus = [0]
    line = [0]
    load = [0]

    def new_bus(kv, name=None):
        b = bus[0]
        bus[0] += 1
        key = f"bus:{b}"
        ent(EntityRow(key=key, cls="Bus", name=name or f"Bus {b}", attributes={"vn_kv": kv, "in_service": True}))
        return key

    def new_line(a, b, length):
        n = line[0]
        line[0] += 1
        key = f"line:{n}"
        ent(EntityRow(key=key, cls="Line", name=f"Line {n}",
                      attributes={"length_km": round(length, 3), "in_service": True}))
        rel(RelationRow(type="connects", src=key, dst=a, attributes={"side": "from"}))
        rel(RelationRow(type="connects", src=key, dst=b, attributes={"side": "to"}))

    hv, feeder_ends = [], []
    for s in range(n_sub):
        skey = f"substation:{s}"
        ent(EntityRow(key=skey, cls="Substation", name=f"Substation {s}",
                      attributes={"code": f"S{s}", "voltage_levels_kv": [220.0, 20.0]}))
        rel(RelationRow(type="located_in", src=skey, dst=f"zone:{int(region_of[s])}"))
        h = new_bus(220.0, f"Substation {s} 220 kV")
        m = new_bus(20.0, f"Substation {s} 20 kV")
        hv.append(h)
        tkey = f"trafo:{s}"
        ent(EntityRow(key=tkey, cls="Transformer", name=f"Transformer {s}",
                      attributes={"sn_mva": 40.0, "vn_hv_kv": 220.0, "vn_lv_kv": 20.0, "in_service": True}))
        rel(RelationRow(type="connects", src=tkey, dst=h, attributes={"side": "hv"}))
        rel(RelationRow(type="connects", src=tkey, dst=m, attributes={"side": "lv"}))
        for key in (h, m, tkey):
            rel(RelationRow(type="located_in", src=key, dst=skey))
        if rng.random() < 0.08:
            ent(EntityRow(key=f"gen:{s}", cls="Generator", name=f"Generator {s}",
                          attributes={"p_mw": round(float(rng.uniform(50, 400)), 1), "in_service": True}))
            rel(RelationRow(type="feeds", src=f"gen:{s}", dst=h))
        ends = []
        for _ in range(int(rng.integers(3, 9))):
            size = int(rng.integers(10, 71))
            fbuses = [m]
            for i in range(size):
                b = new_bus(20.0)
                # a trunk (the newest bus) most of the time, else a lateral off any earlier bus
                parent = fbuses[-1] if rng.random() < 0.7 else fbuses[int(rng.integers(0, len(fbuses)))]
                new_line(parent, b, float(rng.uniform(0.1, 2.0)))
                fbuses.append(b)
                if rng.random() < 0.6:
                    n = load[0]
                    load[0] += 1
                    ent(EntityRow(key=f"load:{n}", cls="Load", name=f"Load {n}",
                                  attributes={"p_mw": round(float(rng.uniform(0.02, 0.6)), 3), "in_service": True}))
                    rel(RelationRow(type="supplies", src=b, dst=f"load:{n}"))
            ends.append(fbuses[-1])
        feeder_ends.append(ends)
    for a, b in core:
        new_line(hv[a], hv[b], float(np.hypot(*(pts[a] - pts[b]))))
    ties = 0
    for a, b in core:
        if rng.random() < 0.3:
            ka = feeder_ends[a][int(rng.integers(0, len(feeder_ends[a])))]
            kb = feeder_ends[b][int(rng.integers(0, len(feeder_ends[b])))]
            key = f"switch:{ties}"
            ties += 1
            ent(EntityRow(key=key, cls="Switch", name=f"Tie {ties}",
                          attributes={"closed": False, "normally_open": True, "element_type": "b",
                                      "in_service": True}))
            rel(RelationRow(type="connects", src=key, dst=ka, attributes={"side": "bus"}))
            rel(RelationRow(type="switches", src=key, dst=kb))
    figures = {"substations": n_sub, "regions": n_regions, "core_lines": len(core), "buses": bus[0],
               "lines": line[0], "loads": load[0], "ties": ties}
    return entities, relations, figures


def degree_report(g):
    """Lines describing the undirected degree distribution of the projection and of the
    bus-bus network behind it."""
    deg = Counter()
    by_cls = {}
    for n, d in g.degree():  # MultiDiGraph: in + out
        deg[d] += 1
        cls = g.nodes[n].get("cls")
        lst = by_cls.setdefault(cls, [0, 0, 0])
        lst[0] += 1
        lst[1] += d
        lst[2] = max(lst[2], d)
    n = g.number_of_nodes()
    bins = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 9), (10, 99), (100, 10 ** 9)]
    parts = []
    for lo, hi in bins:
        c = sum(v for k, v in deg.items() if lo <= k <= hi)
        label = str(lo) if lo == hi else (f"{lo}-{hi}" if hi < 10 ** 9 else f">={lo}")
        parts.append(f"{label}: {100 * c / n:.1f}%")
    lines = [f"  knowledge graph (entities as nodes, relations either way): {n:,} nodes, {g.number_of_edges():,} "
             f"relations, mean degree {2 * g.number_of_edges() / n:.2f}, max {max(deg)}",
             "    degree share  " + "  ".join(parts),
             "    by class (count, mean, max degree): " + ", ".join(
                 f"{c} {v[0]:,}/{v[1] / v[0]:.2f}/{v[2]}" for c, v in sorted(by_cls.items(), key=lambda x: -x[1][0]))]
    # bus-bus: one edge per line/transformer between its two buses
    bdeg = Counter()
    for n, d in g.nodes(data=True):
        if d.get("cls") in ("Line", "Transformer"):
            for _, b in g.out_edges(n):
                bdeg[b] += 1
    hist = Counter(bdeg.values())
    nb = sum(hist.values())
    lines.append(f"  bus-bus network (lines and transformers as edges): {nb:,} buses, mean degree "
                 f"{sum(k * v for k, v in hist.items()) / nb:.2f}, max {max(hist)}; share by degree " +
                 "  ".join(f"{k}: {100 * v / nb:.1f}%" for k, v in sorted(hist.items())[:6]) +
                 (f"  >6: {100 * sum(v for k, v in hist.items() if k > 6) / nb:.1f}%" if max(hist) > 6 else ""))
    return lines


# -- timing ------------------------------------------------------------------------------------

def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    i = (len(values) - 1) * q
    lo = int(i)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (i - lo)


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1e3, out


def row(name, ms, extra=""):
    return (f"  {name:34s} {len(ms):5d} {pct(ms, .5):9.3f} {pct(ms, .9):9.3f} {statistics.fmean(ms):9.3f} "
            f"{max(ms):9.2f}  {extra}")


HEAD = f"  {'path':34s} {'n':>5s} {'p50 ms':>9s} {'p90 ms':>9s} {'mean ms':>9s} {'max ms':>9s}"


def verdict(ms):
    return "PASS" if pct(ms, .5) < TARGET_MS else "MISS"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--api-samples", type=int, default=40)
    parser.add_argument("--max-nodes", type=int, default=500, help="the neighbourhood cap (the API default)")
    parser.add_argument("--load", choices=["action", "bulk"], default="action")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    old_name = setup_django(extra_env={"DJANGO_ALLOWED_HOSTS": "testserver"})
    import networkx as nx
    import numpy as np
    from django.db import connection, transaction
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from core.kg import projection as proj
    from core.kg.actions.graphs import bump_version, create_graph
    from core.kg.actions.imports import import_triples
    from core.kg.api import views as kg_views
    from core.kg.lib import export as kg_export
    from core.kg.lib import paths
    from core.kg.models import Entity, Relation
    from core.platform.actions.organisations import create_organisation, create_user

    print(f"machine: {os.uname().machine}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"networkx {nx.__version__}, {connection.vendor}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rss0 = rss_mb()
    t0 = time.perf_counter()
    entities, relations, fig = generate(args.edges, args.seed)
    t_gen = time.perf_counter() - t0
    print(f"generated {len(entities):,} entities and {len(relations):,} relations in {t_gen:.1f} s "
          f"(seed {args.seed}): {fig['substations']:,} substations in {fig['regions']} regions, "
          f"{fig['core_lines']:,} transmission lines, {fig['buses']:,} buses, {fig['lines']:,} lines, "
          f"{fig['loads']:,} loads, {fig['ties']:,} open ties; RSS {rss_mb():.0f} MB (+{rss_mb() - rss0:.0f})")
    bus_keys = [e.key for e in entities if e.cls == "Bus"]

    org = create_organisation(name="Grid company", code="grid", kind="hq", acting_user=None)
    user = create_user(username="bench", password="bench-pw", acting_user=None, organisation=org, role="developer")
    graph = create_graph(name="bench-grid", organisation=org, vertical="energy", acting_user=user)

    t0 = time.perf_counter()
    if args.load == "action":
        # Two audited batches (entities, then relations): each stays under KG_IMPORT_MAX_ROWS.
        t1 = time.perf_counter()
        r1 = import_triples(graph, entities=entities, relations=[], acting_user=user, source="bench entities")
        t_ent = time.perf_counter() - t1
        t1 = time.perf_counter()
        r2 = import_triples(graph, entities=[], relations=relations, acting_user=user, source="bench relations")
        t_rel = time.perf_counter() - t1
        how = (f"core.kg.actions.imports.import_triples, 2 batches: entities {t_ent:.1f} s "
               f"({r1['entities'] / t_ent:,.0f}/s), relations {t_rel:.1f} s ({r2['relations'] / t_rel:,.0f}/s)")
    else:
        with transaction.atomic():
            Entity.objects.bulk_create([Entity(graph=graph, key=e.key, cls=e.cls, name=e.name, attributes=e.attributes,
                                               source="bench") for e in entities], batch_size=5000)
            ids = dict(Entity.objects.filter(graph=graph).values_list("key", "id"))
            Relation.objects.bulk_create([Relation(graph=graph, type=r.type, src_id=ids[r.src], dst_id=ids[r.dst],
                                                   attributes=r.attributes, source="bench") for r in relations],
                                         batch_size=5000)
            bump_version(graph)
        how = "bulk_create straight into the tables (--load bulk: no validation, no audit)"
    t_load = time.perf_counter() - t0
    n_ent, n_rel = len(entities), len(relations)
    del entities, relations
    gc.collect()
    graph.refresh_from_db()
    print(f"loaded into the database in {t_load:.1f} s via {how}; RSS {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB")

    proj.clear()
    gc.collect()
    rss_before = rss_mb()
    t_build, g = timed(proj.projection, graph)
    rss_after = rss_mb()
    assert g.number_of_edges() == n_rel and g.number_of_nodes() == n_ent
    t_hit, _ = timed(proj.projection, graph)
    print(f"projection built by core.kg.projection.projection in {t_build / 1e3:.1f} s "
          f"({n_rel / (t_build / 1e3):,.0f} relations/s); it holds {rss_after - rss_before:,.0f} MB "
          f"(RSS {rss_before:.0f} -> {rss_after:.0f} MB); a cached call (version check) {t_hit:.2f} ms")
    print("degree distribution:")
    for line in degree_report(g):
        print(line)

    # baselines: raw networkx on the projection's own undirected view, and on a plain copy
    undirected = g.to_undirected(as_view=True)
    t1 = time.perf_counter()
    rss_s = rss_mb()
    simple = nx.Graph()
    simple.add_edges_from(g.edges())
    print(f"raw-simple baseline graph: nx.Graph copy of the projection in {time.perf_counter() - t1:.1f} s, "
          f"{simple.number_of_nodes():,} nodes, {simple.number_of_edges():,} edges, +{rss_mb() - rss_s:.0f} MB")

    rng = np.random.default_rng(args.seed + 1)
    centres = [bus_keys[i] for i in rng.integers(0, len(bus_keys), size=args.samples)]
    pairs = [(bus_keys[a], bus_keys[b]) for a, b in rng.integers(0, len(bus_keys), size=(args.samples, 2))]

    def view_neighbourhood(centre, max_nodes):
        """The API view's work, minus HTTP and DRF."""
        gg = proj.projection(graph)
        result = paths.neighbourhood(gg, centre, hops=4, max_nodes=max_nodes)
        dist = result["nodes"]
        sub = gg.subgraph(dist)
        return {"nodes": kg_views._nodes_json(gg, dist, lambda k: {"distance": dist[k]}),
                "edges": kg_export.to_json(sub)["edges"]}

    def view_shortest(src, dst):
        gg = proj.projection(graph)
        result = paths.shortest_path(gg, src, dst)
        return None if result is None else {"nodes": kg_views._nodes_json(gg, result["nodes"]),
                                            "edges": result["edges"]}

    # warm-up
    for c in centres[:5]:
        paths.neighbourhood(g, c, hops=4, max_nodes=args.max_nodes)
        nx.single_source_shortest_path_length(undirected, c, cutoff=4)
    for s, t in pairs[:5]:
        paths.shortest_path(g, s, t)

    big = paths.MAX_NODES
    t = {k: [] for k in ("lib", f"lib cap {big}", "lib hops=6", "view", "raw", "raw simple",
                         "sp lib", "sp view", "sp raw", "sp raw simple")}
    sizes, full_sizes, truncated, lengths, sizes6 = [], [], 0, [], []
    out = {}
    calls_n = [
        ("lib", lambda c: paths.neighbourhood(g, c, hops=4, max_nodes=args.max_nodes)),
        (f"lib cap {big}", lambda c: paths.neighbourhood(g, c, hops=4, max_nodes=big)),
        ("lib hops=6", lambda c: paths.neighbourhood(g, c, hops=6, max_nodes=args.max_nodes)),
        ("view", lambda c: view_neighbourhood(c, args.max_nodes)),
        ("raw", lambda c: nx.single_source_shortest_path_length(undirected, c, cutoff=4)),
        ("raw simple", lambda c: nx.single_source_shortest_path_length(simple, c, cutoff=4)),
    ]
    calls_sp = [
        ("sp lib", lambda s, d: paths.shortest_path(g, s, d)),
        ("sp view", view_shortest),
        ("sp raw", lambda s, d: nx.shortest_path(undirected, s, d)),
        ("sp raw simple", lambda s, d: nx.shortest_path(simple, s, d)),
    ]
    print(f"\ntiming {args.samples} random bus centres (4 hops) and {args.samples} random bus pairs, "
          f"paths interleaved call by call (their order rotating) ...")
    gc.disable()
    try:
        for i, c in enumerate(centres):
            for name, fn in calls_n[i % len(calls_n):] + calls_n[:i % len(calls_n)]:
                ms, out[name] = timed(fn, c)
                t[name].append(ms)
            sizes.append(len(out["lib"]["nodes"]))
            truncated += out["lib"]["truncated"]
            sizes6.append(len(out["lib hops=6"]["nodes"]))
            full_sizes.append(len(out["raw"]))
        for i, (s, d) in enumerate(pairs):
            for name, fn in calls_sp[i % len(calls_sp):] + calls_sp[:i % len(calls_sp)]:
                ms, out[name] = timed(fn, s, d)
                t[name].append(ms)
            lengths.append(out["sp lib"]["length"])
            assert len(out["sp raw"]) - 1 == out["sp lib"]["length"]
    finally:
        gc.enable()

    # API, in-process
    token = Token.objects.create(user=user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    ids = dict(Entity.objects.filter(graph=graph, key__in=set(centres[:args.api_samples])).values_list("key", "id"))
    base = f"/api/v1/kg/graphs/{graph.pk}"
    api_n, api_sp = [], []
    client.get(f"{base}/entities/{ids[centres[0]]}/neighbourhood/?hops=4")  # warm-up
    for c, (s, d) in zip(centres[:args.api_samples], pairs[:args.api_samples]):
        ms, r = timed(client.get, f"{base}/entities/{ids[c]}/neighbourhood/?hops=4&max_nodes={args.max_nodes}")
        assert r.status_code == 200, r.content[:300]
        api_n.append(ms)
        ms, r = timed(client.get, f"{base}/shortest-path/?src={s}&dst={d}")
        assert r.status_code == 200 and r.json()["found"], r.content[:300]
        api_sp.append(ms)

    print(f"\n4-hop neighbourhood of a bus (either direction; cap max_nodes={args.max_nodes}): the full 4-hop "
          f"neighbourhood holds p50 {pct(full_sizes, .5):.0f} / max {max(full_sizes)} nodes; the capped answer "
          f"p50 {pct(sizes, .5):.0f} nodes, truncated in {truncated} of {len(sizes)}")
    print(HEAD)
    raw50 = pct(t["raw"], .5)
    for name in ("lib", f"lib cap {big}", "view"):
        print(row(name, t[name], f"{pct(t[name], .5) / raw50:5.2f}x raw  {verdict(t[name])}"))
    print(row("lib hops=6", t["lib hops=6"], f"(answer p50 {pct(sizes6, .5):.0f} nodes)"))
    k = len(api_n)
    print(row("API (test Client, token)", api_n, f"{pct(api_n, .5) / raw50:5.2f}x raw  {verdict(api_n)}  "
              f"(its {k} centres: view p50 {pct(t['view'][:k], .5):.2f} ms)"))
    print(row("raw: nx sssp_length cutoff=4", t["raw"], "baseline (the projection's undirected view)"))
    print(row("raw simple: same on nx.Graph copy", t["raw simple"], f"{pct(t['raw simple'], .5) / raw50:5.2f}x raw"))

    print(f"\nshortest path between two random buses (either direction): length p50 {pct(lengths, .5):.0f}, "
          f"p90 {pct(lengths, .9):.0f}, max {max(lengths)} relations")
    print(HEAD)
    sraw50 = pct(t["sp raw"], .5)
    print(row("lib", t["sp lib"], f"{pct(t['sp lib'], .5) / sraw50:5.2f}x raw  {verdict(t['sp lib'])}"))
    print(row("view", t["sp view"], f"{pct(t['sp view'], .5) / sraw50:5.2f}x raw  {verdict(t['sp view'])}"))
    k = len(api_sp)
    print(row("API (test Client, token)", api_sp, f"{pct(api_sp, .5) / sraw50:5.2f}x raw  {verdict(api_sp)}  "
              f"(its {k} pairs: view p50 {pct(t['sp view'][:k], .5):.1f} ms, raw {pct(t['sp raw'][:k], .5):.1f})"))
    print(row("raw: nx.shortest_path", t["sp raw"], "baseline (the projection's undirected view)"))
    print(row("raw simple: same on nx.Graph copy", t["sp raw simple"],
              f"{pct(t['sp raw simple'], .5) / sraw50:5.2f}x raw"))

    print(f"\ntarget: 4-hop neighbourhood or shortest path in < {TARGET_MS:g} ms p50 on a {n_rel:,}-relation graph")
    for name, ms in (("neighbourhood, lib", t["lib"]), ("neighbourhood, API", api_n),
                     ("shortest path, lib", t["sp lib"]), ("shortest path, API", api_sp)):
        print(f"  {name:22s} p50 {pct(ms, .5):8.2f} ms  {verdict(ms)}")
    print(f"load: generate {t_gen:.1f} s, database {t_load:.1f} s, projection {t_build / 1e3:.1f} s; "
          f"RSS now {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
