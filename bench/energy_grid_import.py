"""Importing a pandapower case as a knowledge graph: import_grid against the core's bulk
import of the same triples, and the 60 s the tests asserted before issue 18.

| path | what runs |
| --- | --- |
| triples | `create_graph` + `core.kg.actions.imports.import_triples` of the case's triples, converted beforehand — **the baseline** (validated, audited, bulk insert) |
| import_grid | `verticals.energy.actions.grids.import_grid(case=...)`: load the case from pandapower, convert (net_to_triples), then the same import and the Grid row |

The two alternate round by round (their order rotating), each into a new graph.
import_grid's own figures split its time into loading + converting the case and the
database part. Targets (ours): the database part <= 1.5x the baseline (the grid adds only
its Grid row); case118 in < 60 s. PASS/MISS is information: exits 0 when it ran.

    .venv/bin/python bench/energy_grid_import.py [--case case118] [--rounds 3]

Fresh SQLite database in a temp folder unless DATABASE_URL is set (then it creates and
drops its own test database there).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django_env import setup_django  # noqa: E402  (bench/ is on sys.path as the script's folder)

VS_TRIPLES = 1.5
CASE118_S = 60.0


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", default="case118")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    old_name = setup_django()
    from django.db import connection

    from core.kg.actions.graphs import create_graph
    from core.kg.actions.imports import import_triples
    from core.kg.lib.triples import parse_json
    from core.platform.actions.organisations import create_organisation, create_user
    from verticals.energy.actions.grids import import_grid
    from verticals.energy.lib.grid_import import load_case, net_to_triples

    print(f"machine: {os.uname().machine}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {connection.vendor}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    org = create_organisation(name="Grid company", code="grid", kind="hq", acting_user=None)
    user = create_user(username="bench", password="bench-pw", acting_user=None, organisation=org, role="developer")
    started = time.perf_counter()
    doc = net_to_triples(load_case(args.case), case=args.case)
    print(f"{args.case}: {len(doc['entities']):,} entities, {len(doc['relations']):,} relations, loaded and converted "
          f"in {time.perf_counter() - started:.2f} s (the first load imports pandapower)")

    def triples(n):
        entities, relations, errors = parse_json(doc)
        graph = create_graph(name=f"triples-{n}", organisation=org, vertical="energy", acting_user=user)
        import_triples(graph, entities=entities, relations=relations, acting_user=user, parse_errors=errors)

    def grid(n):
        _, figures = import_grid(case=args.case, organisation=org, acting_user=user, name=f"grid-{n}")
        parts["load + convert"].append(figures["build_s"])
        parts["database"].append(figures["import_s"])

    parts = {"load + convert": [], "database": []}

    paths = [("triples", triples), ("import_grid", grid)]
    times = {name: [] for name, _ in paths}
    for n in range(args.rounds):
        for name, fn in paths[n % 2:] + paths[:n % 2]:
            t = time.perf_counter()
            fn(n)
            times[name].append(time.perf_counter() - t)

    print(f"\n  {'path':<14} {'n':>3} {'p50 s':>8} {'min s':>8} {'max s':>8}")
    base = statistics.median(times["triples"])
    for name, _ in paths:
        s = sorted(times[name])
        ratio = "baseline" if name == "triples" else f"{statistics.median(s) / base:5.2f}x triples"
        print(f"  {name:<14} {len(s):3d} {statistics.median(s):8.3f} {s[0]:8.3f} {s[-1]:8.3f}  {ratio}")
    for name, s in parts.items():
        print(f"    {name:<12} {len(s):3d} {statistics.median(s):8.3f} {min(s):8.3f} {max(s):8.3f}  "
              f"{statistics.median(s) / base:5.2f}x triples  (import_grid's own figures)")
    db_p50 = statistics.median(parts["database"])
    print("\ntargets:")
    print(f"  import_grid's database part {db_p50 / base:.2f}x the bulk import of its triples (<= {VS_TRIPLES:g}x)  "
          f"{verdict(db_p50 / base <= VS_TRIPLES)}")
    if args.case == "case118":
        print(f"  case118 in {max(times['import_grid']):.2f} s at most (< {CASE118_S:g} s)  "
              f"{verdict(max(times['import_grid']) < CASE118_S)}")
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
