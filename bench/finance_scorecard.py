"""Credit scorecard: training time on 100k and 1M synthetic rows, and single-record
scoring latency over the API (GitHub issue 4).

For each size N (default 100,000 and 1,000,000) it generates the synthetic credit table
(``make_synthetic_credit(N, seed)``), times ``build_scorecard`` on it (the training step
itself: optimal binning, WOE, selection, logistic regression, scaling, training AUC/KS)
and, for sizes up to ``--trainer-max-rows``, the full trainer job path as well
(``import_table`` of the table, then ``submit_job`` + ``run_job`` of ``finance.scorecard``
with ``cv_folds=0``: holdout split, build, holdout evaluation, random-forest importance,
bundle, model version).

Each size's scorecard is then stored as a bundle, registered as a model version and
deployed with the ``cpu-scorecard`` profile, and single records are scored three ways,
interleaved call by call (and the models round-robin, so load that comes and goes hits
all of them alike):

- direct: ``score_records(scorecard, record)`` in-process — **the baseline**;
- action: ``verticals.finance.actions.scoring.score(deployment, record)`` (permission and status
  checks, the engine's cached model, the prediction-log write), no HTTP;
- API: ``POST /api/v1/finance/deployments/<id>/score/`` with ``{"record": {...}}`` through
  the full Django + DRF stack (Django's test ``Client`` in-process, token auth).

It prints p50/p99 per path and model, the API overhead against the direct call, and the
scaling ratios 1M / 100k: training time (ideal for linear work: 10x) and scoring latency
(expected ~1x: a scorecard's size does not grow with the rows it was trained on).
A measurement: PASS/MISS lines are information and the script exits 0 when it ran.

    .venv/bin/python bench/finance_scorecard.py [--sizes 100000,1000000 | --quick]
        [--requests 500] [--warmup 50] [--repeats 2] [--trainer-max-rows 100000] [--seed 0]

``--quick`` is ``--sizes 20000,200000``.  The scaling ratios are printed for the first two
sizes.  Uses a fresh SQLite database and var folder in a temp folder (removed at the end)
unless DATABASE_URL / ZHONGTAI_VAR_DIR are set.
"""
import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    tmp = tempfile.mkdtemp(prefix="zhongtai-bench-")
    os.environ.setdefault("ZHONGTAI_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.computed"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    return tmp, old_name


def rss_mb():
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values, q):
    """The q-th percentile (0..100) of values, linear interpolation."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def json_record(row):
    """A table row as the JSON an API client sends: native types, NaN -> null."""
    out = {}
    for k, v in row.items():
        v = v.item() if hasattr(v, "item") else v
        out[k] = None if isinstance(v, float) and math.isnan(v) else v
    return out


def size_label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def time_build(df):
    from verticals.finance.lib.scorecard.build import build_scorecard

    t0 = time.perf_counter()
    card = build_scorecard(df, "bad")
    return card, time.perf_counter() - t0


def trainer_path(df, *, org, user, label, seed):
    """import_table + the finance.scorecard trainer job (cv_folds=0), timed separately."""
    import io

    from core.data.actions.datasets import create_dataset
    from core.data.actions.tables import import_table
    from core.training.actions.jobs import submit_job
    from core.training.actions.runner import run_job
    from core.training.models import Job

    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    data = buf.getvalue()
    ds = create_dataset(name=f"synthetic-credit-{label.lower()}", organisation=org, kind="tabular",
                        vertical="finance", acting_user=user)
    t0 = time.perf_counter()
    dv = import_table(data, dataset=ds, filename=f"synthetic-credit-{label}.parquet", acting_user=user,
                      source=f"make_synthetic_credit({len(df)}, {seed})")
    import_s = time.perf_counter() - t0
    # The job runs here, in-process, as the tests run it: nothing goes to the broker
    # (where a worker on a real broker would pick it up).
    with mock.patch("core.training.actions.jobs.enqueue", lambda job: None):
        job = submit_job(trainer="finance.scorecard", organisation=org, acting_user=user,
                         params={"dataset_version": dv.pk, "target": "bad", "seed": seed, "cv_folds": 0})
    t0 = time.perf_counter()
    outcome = run_job(job.pk)
    job_s = time.perf_counter() - t0
    if outcome != "succeeded":
        tail = Job.objects.get(pk=job.pk).log_tail[-2000:]
        print(f"  trainer job {outcome}:\n{tail}")
        return import_s, None, len(data)
    return import_s, job_s, len(data)


def deploy(card, *, org, user, label, workdir):
    from core.hub.actions.artifacts import store_file
    from core.hub.actions.registry import create_model, create_version
    from core.inference.actions.deployments import create_deployment
    from core.inference.lib.bundle import write_bundle
    from verticals.finance.lib.scorecard.artifact import scorecard_to_json

    work = Path(workdir) / f"bundle-{label}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "scorecard.json").write_text(scorecard_to_json(card))
    manifest = {"task": "scorecard", "labels": [], "input": {"fields": card.get("schema", {})},
                "files": {"scorecard": "scorecard.json"}}
    bundle = write_bundle(work / "scorecard-bundle.zip", manifest, {"scorecard.json": work / "scorecard.json"})
    artifact, _ = store_file(bundle, organisation=org, acting_user=user)
    model = create_model(name=f"bench-scorecard-{label.lower()}", organisation=org, vertical="finance",
                         model_type="credit_scorecard", acting_user=user)
    version = create_version(model, artifact=artifact, acting_user=user,
                             metrics={"train_auc": card["training"]["auc"], "variables": len(card["variables"])})
    dep = create_deployment(name=f"bench-scoring-{label.lower()}", organisation=org, model_version=version,
                            profile="cpu-scorecard", acting_user=user)
    return dep, (work / "scorecard.json").stat().st_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--quick", action="store_true", help="sizes 20000,200000")
    parser.add_argument("--requests", type=int, default=500, help="timed single-record requests per model and path")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--trainer-max-rows", type=int, default=100_000,
                        help="run the full trainer job path for sizes up to this (0: never); its random-forest "
                             "importance makes it ~6 min at 1M rows on a loaded 2-core host")
    parser.add_argument("--repeats", type=int, default=2,
                        help="build_scorecard runs per size, sizes taking turns; the fastest counts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [20_000, 200_000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) <= 0:
        parser.error("--sizes must be positive row counts")
    if args.repeats < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("--repeats and --requests must be >= 1, --warmup >= 0")

    tmp, old_name = setup_django()
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise's warning
    try:
        run(args, sizes, tmp)
    finally:
        from django.db import connection

        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def run(args, sizes, tmp):
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from core.platform.actions.organisations import create_organisation, create_user
    from verticals.finance.actions.scoring import score
    from verticals.finance.lib.datasets import make_synthetic_credit
    from verticals.finance.lib.scorecard.scoring import score_records, validate_record

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{connection.vendor}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    org = create_organisation(name="Bank HQ", code="bank-hq", kind="hq", acting_user=None)
    user = create_user(username="bench", password="bench-pw", acting_user=None, organisation=org, role="developer")

    # ---------------------------------------------------------------- training
    # One untimed build on a small table first: importing optbinning, OR-Tools and
    # scikit-learn (1-2 s) would otherwise be charged to the first size.
    t0 = time.perf_counter()
    time_build(make_synthetic_credit(2000, args.seed))
    print(f"warm-up build on 2,000 rows (imports optbinning, OR-Tools, scikit-learn): {time.perf_counter() - t0:.2f} s")
    frames, builds, cards = {}, {n: [] for n in sizes}, {}
    for rep in range(args.repeats):
        for n in sizes:
            if n not in frames:
                t0 = time.perf_counter()
                frames[n] = (make_synthetic_credit(n, args.seed), time.perf_counter() - t0)
            card, build_s = time_build(frames[n][0])
            builds[n].append(build_s)
            cards.setdefault(n, card)

    print(f"\ntraining: build_scorecard on the whole table ({args.repeats} run(s) per size, sizes taking turns; "
          f"the fastest counts)")
    print(f"{'rows':>10} {'generate s':>10} {'build s':>9} {'rows/s':>10} {'vars':>5} {'bins':>5} {'train AUC':>9}"
          f" {'JSON kB':>8}")
    models = []
    for n in sizes:
        label, card = size_label(n), cards[n]
        build_s = min(builds[n])
        dep, json_bytes = deploy(card, org=org, user=user, label=label, workdir=tmp)
        n_bins = sum(len(v["bins"]) for v in card["variables"])
        runs = "" if len(builds[n]) == 1 else "  (runs " + ", ".join(f"{b:.2f}" for b in builds[n]) + " s)"
        print(f"{n:>10,} {frames[n][1]:>10.2f} {build_s:>9.2f} {n / build_s:>10,.0f} {len(card['variables']):>5}"
              f" {n_bins:>5} {card['training']['auc']:>9.4f} {json_bytes / 1024:>8.1f}{runs}", flush=True)
        entry = {"n": n, "label": label, "card": card, "dep": dep, "build_s": build_s}
        if args.trainer_max_rows and n <= args.trainer_max_rows:
            import_s, job_s, nbytes = trainer_path(frames[n][0], org=org, user=user, label=label, seed=args.seed)
            if job_s is not None:
                print(f"{'':>10} trainer job path: import_table {import_s:.2f} s ({nbytes / 1e6:.1f} MB parquet), "
                      f"finance.scorecard job (cv_folds=0) {job_s:.2f} s = {job_s / build_s:.1f}x build_scorecard "
                      f"(build on the 70% split + holdout evaluation + random-forest importance + bundle)", flush=True)
        elif args.trainer_max_rows:
            print(f"{'':>10} trainer job path skipped above --trainer-max-rows {args.trainer_max_rows:,}")
        models.append(entry)
    frames.clear()
    print(f"peak RSS so far {rss_mb():.0f} MB")

    # ---------------------------------------------------------------- scoring
    # Records a client would send: fresh rows (another seed) that every model accepts.
    pool = make_synthetic_credit(max(4 * args.requests, 2000), args.seed + 1_000_003).drop(columns=["bad"])
    records = [r for r in (json_record(row) for row in pool.to_dict(orient="records"))
               if all(not validate_record(m["card"], r) for m in models)]
    needed = args.warmup + args.requests
    records = (records * (needed // max(len(records), 1) + 1))[:needed]
    token = Token.objects.create(user=user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def api(m, record):
        r = client.post(f"/api/v1/finance/deployments/{m['dep'].pk}/score/", json.dumps({"record": record}),
                        content_type="application/json")
        if r.status_code != 200:
            raise RuntimeError(f"API {r.status_code}: {r.content[:500]!r}")
        return r.json()["score"]

    def action(m, record):
        return score(m["dep"], record, acting_user=user)["score"]

    def direct(m, record):
        return score_records(m["card"], record)[0]["score"]

    paths = (("direct", direct), ("action", action), ("API", api))
    times = {(m["label"], p): [] for m in models for p, _ in paths}
    print(f"\nsingle-record scoring: {args.warmup} warm-up + {args.requests} timed records per model and path; "
          f"direct / action / API interleaved call by call, models round-robin")
    for i, record in enumerate(records):
        for m in models:
            got = set()
            for p, fn in paths:
                t0 = time.perf_counter()
                got.add(round(fn(m, record), 6))
                dt = time.perf_counter() - t0
                if i >= args.warmup:
                    times[(m["label"], p)].append(dt * 1000)
            if len(got) != 1:
                raise RuntimeError(f"paths disagree on record {i} for the {m['label']} model: {got}")

    print(f"\n{'model':>6} {'path':>7} {'n':>5} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'req/s':>8}")
    stats = {}
    for m in models:
        for p, _ in paths:
            xs = times[(m["label"], p)]
            s = {"p50": pct(xs, 50), "p90": pct(xs, 90), "p99": pct(xs, 99), "mean": statistics.fmean(xs)}
            stats[(m["label"], p)] = s
            print(f"{m['label']:>6} {p:>7} {len(xs):>5} {s['p50']:>8.3f} {s['p90']:>8.3f} {s['p99']:>8.3f}"
                  f" {s['mean']:>8.3f} {1000 / s['mean']:>8.0f}")

    print("\nAPI overhead against the direct score_records call (same records, same run):")
    for m in models:
        d, a, h = (stats[(m["label"], p)] for p in ("direct", "action", "API"))
        print(f"  {m['label']:>4} model: p50 API/direct {h['p50'] / d['p50']:6.1f}x (+{h['p50'] - d['p50']:.3f} ms), "
              f"p99 {h['p99'] / d['p99']:6.1f}x; of the API p50, score_records {d['p50'] / h['p50']:.0%}, "
              f"the rest of the action (checks, engine, prediction log) {(a['p50'] - d['p50']) / h['p50']:.0%}, "
              f"the view (token auth, deployment lookup, DRF, JSON) {(h['p50'] - a['p50']) / h['p50']:.0%}")

    if len(models) >= 2:
        small, big = models[0], models[1]
        rows = big["n"] / small["n"]
        ratio = big["build_s"] / small["build_s"]
        print(f"\nscaling {big['label']} / {small['label']} ({rows:g}x the rows):")
        print(f"  training time (build_scorecard)  {ratio:6.2f}x  (ideal for linear work {rows:g}x; "
              f"{'sub-linear: fixed costs dominate' if ratio < rows else 'super-linear'}; "
              f"rows/s {small['n'] / small['build_s']:,.0f} -> {big['n'] / big['build_s']:,.0f})")
        for p in ("direct", "API"):
            b, s = stats[(big["label"], p)], stats[(small["label"], p)]
            r50, r99 = b["p50"] / s["p50"], b["p99"] / s["p99"]
            verdict = "PASS" if 0.8 <= r50 <= 1.25 else "MISS"
            print(f"  scoring latency, {p:6s}           p50 {r50:5.2f}x  p99 {r99:5.2f}x  "
                  f"(expected ~1x: the scorecard does not grow with the rows; p50 within 0.8-1.25x) {verdict}")
    print(f"\npeak RSS {rss_mb():.0f} MB; load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
