"""Detection serving speed: Paddle Inference vs ONNX Runtime, and the engine's overhead.

For each backend (the core profiles cpu-paddle and cpu-onnxruntime, plus each one at the
other's thread count so the comparison is like for like) it loads one PicoDet-S 320 bundle
through core.inference.engine and measures per-image latency at the model's input size:

  raw     the framework called directly on preprocessed inputs (Paddle: input handles fetched
          once, copy_from_cpu / run / copy_to_cpu; ORT: session.run): the baseline
  engine  engine.run(loaded, inputs) on the same preprocessed inputs
  full    PNG bytes -> decode_image -> preprocess -> engine.run -> postprocess (the predict
          path without the database write)

All four configurations stay loaded; the three paths run call by call on the same image and
the configurations take turns, 10 images at a time, so that load which comes and goes on the
machine hits them alike. Printed ratios (medians): ORT vs Paddle speed-up (target >= 5x), engine overhead over raw (target
<= 10%), and the share of decode + pre + post in the full path. PASS/MISS is information:
the exit status is 0 either way.

    .venv/bin/python bench/detection_serving.py [--bundle model-bundle.zip]
                                                [--iterations 200 | --seconds 120]
Without --bundle it trains the tiny test detector (tests/detection_fixtures.py, ~20-60 s)."""
import argparse
import dataclasses
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEEDUP_TARGET = 5.0
OVERHEAD_TARGET = 0.10
CHUNK = 10  # images per configuration before the round-robin moves on
STUB_CALLS = 2000  # calls per path when timing the wrappers with the model compute stubbed out


def setup_django(tmp):
    os.environ.setdefault("ZHONGTAI_VAR_DIR", str(Path(tmp) / "var"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.computed"
    import django

    django.setup()


def proc_status_mb(field):
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak only, Linux units (KiB)


def load_avg():
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def get_bundle(args, tmp):
    from tests.detection_fixtures import make_coco, train_bundle

    if args.bundle:
        bundle = Path(args.bundle)
        images_dir = make_coco(Path(tmp) / "coco", n=16) / "images"
        source = f"given bundle {bundle}"
    else:
        print("no --bundle: training the tiny test detector (tests/detection_fixtures.train_bundle, "
              f"{args.epochs} epochs) in {tmp} ...", flush=True)
        started = time.perf_counter()
        bundle, coco = train_bundle(Path(tmp) / "train", epochs=args.epochs)
        images_dir = Path(coco) / "images"
        source = f"tiny detector trained here in {time.perf_counter() - started:.0f} s ({args.epochs} epochs)"
    pngs = [p.read_bytes() for p in sorted(images_dir.glob("*.png"))[:16]]
    return bundle, source, pngs


def raw_call(loaded):
    """The leanest hand-written call of the framework, for the same inputs dict."""
    model = loaded.model
    if hasattr(model, "session"):  # ONNX Runtime
        session, out_names, in_names = model.session, list(model.output_names), list(model.input_names)

        def call(inputs):
            return session.run(out_names, {n: inputs[n] for n in in_names})

        return call
    predictor = model.predictor
    in_handles = [(n, predictor.get_input_handle(n)) for n in predictor.get_input_names()]
    out_handles = [predictor.get_output_handle(n) for n in predictor.get_output_names()]

    def call(inputs):
        for name, handle in in_handles:
            handle.copy_from_cpu(inputs[name])
        predictor.run()
        return [h.copy_to_cpu() for h in out_handles]

    return call


class _NoCompute:
    """Delegates to the real predictor/session but skips the model's compute: what is left of
    a call is the wrapper (handles, copies, dicts, lock). Paddle's outputs stay those of the
    last real run; ORT's run returns a copy of real outputs."""

    def __init__(self, real, outputs=None):
        self._real, self._outputs = real, outputs

    def __getattr__(self, name):
        return getattr(self._real, name)

    def run(self, *args, **kwargs):
        return None if self._outputs is None else list(self._outputs)


def wrapper_cost(loaded, inputs):
    """Median µs per call of engine.run and of the raw call with the model compute stubbed out:
    the engine's own overhead without the noise of a 10-100 ms model run."""
    from core.inference import engine

    model = loaded.model
    if hasattr(model, "session"):
        proxy = _NoCompute(model.session, model.session.run(list(model.output_names), dict(inputs)))
        stub_model = type(model)(proxy)
    else:
        stub_model = type(model)(_NoCompute(model.predictor))
    stub = dataclasses.replace(loaded, model=stub_model)
    raw = raw_call(stub)
    times = {"raw": [], "engine": []}
    calls = {"raw": raw, "engine": lambda x: engine.run(stub, x)}
    for _ in range(STUB_CALLS // 50):
        for name, fn in calls.items():
            for _ in range(50):
                t = time.perf_counter()
                fn(inputs)
                times[name].append(time.perf_counter() - t)
    return {k: statistics.median(v) * 1e6 for k, v in times.items()}


def summary(times_s):
    ms = sorted(t * 1000 for t in times_s)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    mean = statistics.fmean(ms)
    return {"n": len(ms), "p50": statistics.median(ms), "p90": p90, "mean": mean, "ips": 1000.0 / mean}


class Bench:
    """One loaded configuration and its three paths; step() runs raw, engine and full once each
    on the same image (the paths interleaved call by call)."""

    def __init__(self, loaded, pngs):
        import numpy as np

        from core.inference import engine
        from core.inference.codecs import detection

        self.loaded, self.pngs, self.engine, self.task = loaded, pngs, engine, detection
        self.inputs = [detection.preprocess(detection.decode_image(p), loaded.manifest) for p in pngs]
        self.raw = raw_call(loaded)
        r, e = self.raw(self.inputs[0]), engine.run(loaded, self.inputs[0])  # we time the same work
        for a, b in zip(r, e.values()):
            assert np.array_equal(a, b), "raw and engine outputs differ"
        self.times = {"raw": [], "engine": [], "full": []}
        self.parts = {"decode": [], "pre": [], "run": [], "post": []}

    def step(self, i, record=True):
        loaded, task, manifest = self.loaded, self.task, self.loaded.manifest
        x = self.inputs[i % len(self.inputs)]
        t0 = time.perf_counter()
        self.raw(x)
        t1 = time.perf_counter()
        self.engine.run(loaded, x)
        t2 = time.perf_counter()
        image = task.decode_image(self.pngs[i % len(self.pngs)])
        t3 = time.perf_counter()
        y = task.preprocess(image, manifest)
        t4 = time.perf_counter()
        out = self.engine.run(loaded, y)
        t5 = time.perf_counter()
        task.postprocess(out, manifest, min_score=0.05)
        t6 = time.perf_counter()
        if record:
            for key, value in (("raw", t1 - t0), ("engine", t2 - t1), ("full", t6 - t2)):
                self.times[key].append(value)
            for key, value in (("decode", t3 - t2), ("pre", t4 - t3), ("run", t5 - t4), ("post", t6 - t5)):
                self.parts[key].append(value)

    def result(self):
        res = {m: summary(t) for m, t in self.times.items()}
        res["parts_ms"] = {k: statistics.median(v) * 1000 for k, v in self.parts.items()}
        res["stub_us"] = wrapper_cost(self.loaded, self.inputs[0])
        return res


def measure_all(benches, args):
    """Round-robin over the configurations, CHUNK images each, one unrecorded call after each
    switch: load that comes and goes on the machine then hits every configuration alike."""
    for b in benches:
        for i in range(args.warmup):
            b.step(i, record=False)
    deadline = time.perf_counter() + args.seconds if args.seconds else None
    done = 0
    while True:
        n = CHUNK if deadline is not None else min(CHUNK, args.iterations - done)
        for b in benches:
            b.step(done, record=False)
            for k in range(n):
                b.step(done + k)
        done += n
        if (deadline is not None and time.perf_counter() >= deadline) or (deadline is None and done >= args.iterations):
            return


def fmt_row(cols, widths):
    return "  ".join(str(c).rjust(w) if k else str(c).ljust(w) for k, (c, w) in enumerate(zip(cols, widths)))


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", help="an existing model bundle zip (else the tiny detector is trained)")
    parser.add_argument("--iterations", type=int, default=200, help="images per path and configuration")
    parser.add_argument("--seconds", type=float, help="instead of --iterations: seconds in all")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=3, help="training epochs for the tiny detector")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (and the trained bundle)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="zhongtai-bench-det-")
    setup_django(tmp)
    from core.inference import engine
    from core.inference.profiles import get_profile

    rss_start = proc_status_mb("VmRSS")
    bundle, source, pngs = get_bundle(args, tmp)
    sha = sha256_of(bundle)

    ort, paddle = get_profile("cpu-onnxruntime"), get_profile("cpu-paddle")
    configs = [  # ORT first: its RSS is then measured before paddle is imported
        ("ort", ort, "profile"),
        ("ort", dataclasses.replace(ort, name="cpu-onnxruntime-1t", threads=1), "variant"),
        ("paddle", paddle, "profile"),
        ("paddle", dataclasses.replace(paddle, name="cpu-paddle-2t", threads=2), "variant"),
    ]
    import platform

    print(f"\nmodel: {source}; sha256 {sha[:12]}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"RSS before loading any backend {rss_start:.0f} MB; load average {load_avg()} (others' work "
          "on this machine slows the 2-thread configurations most)")
    results, benches = [], []
    for family, profile, kind in configs:
        before = proc_status_mb("VmRSS")
        loaded = engine.load_bundle(bundle, sha, profile)
        after = proc_status_mb("VmRSS")
        shape = loaded.manifest["input"]["image_shape"]
        print(f"  {profile.name:<20} ({profile.backend}, threads={profile.threads}, {kind}): "
              f"loaded in {loaded.load_ms:.0f} ms, input {shape[3]}x{shape[2]} px, "
              f"RSS {after:.0f} MB (+{after - before:.0f} MB)", flush=True)
        benches.append(Bench(loaded, pngs))
        results.append(dict(family=family, profile=profile, kind=kind, rss=after, rss_delta=after - before))
    print("measuring (round-robin over the configurations) ...", flush=True)
    measure_all(benches, args)
    for r, b in zip(results, benches):
        r.update(b.result())
        b.loaded.model.close()

    print()
    widths = [20, 7, 6, 5, 8, 8, 8, 7, 7]
    print(fmt_row(["configuration", "threads", "path", "n", "p50 ms", "p90 ms", "mean ms", "img/s", "RSS MB"],
                  widths))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for r in results:
        for mode in ("raw", "engine", "full"):
            s = r[mode]
            print(fmt_row([r["profile"].name if mode == "raw" else "", r["profile"].threads if mode == "raw" else "",
                           mode, s["n"], f"{s['p50']:.2f}", f"{s['p90']:.2f}", f"{s['mean']:.2f}", f"{s['ips']:.1f}",
                           f"{r['rss']:.0f}" if mode == "raw" else ""], widths))
    print(f"(n images per row; raw, engine and full interleaved call by call; configurations round-robin, {CHUNK} "
          "images at a time; RSS = process after loading that configuration, cumulative: importing paddle is "
          "most of the paddle step)")

    by = {(r["family"], r["profile"].threads): r for r in results}
    print("\nORT vs Paddle speed-up (Paddle p50 / ORT p50; target >= "
          f"{SPEEDUP_TARGET:.0f}x on the profiles as shipped):")
    pairs = [("as profiled (paddle 1t vs ORT 2t)", by[("paddle", paddle.threads)], by[("ort", ort.threads)], True),
             ("same threads: 1 vs 1", by[("paddle", 1)], by[("ort", 1)], False),
             ("same threads: 2 vs 2", by[("paddle", 2)], by[("ort", 2)], False)]
    for label, p, o, judged in pairs:
        raw_x = p["raw"]["p50"] / o["raw"]["p50"]
        eng_x = p["engine"]["p50"] / o["engine"]["p50"]
        full_x = p["full"]["p50"] / o["full"]["p50"]
        tail = f"  {verdict(eng_x >= SPEEDUP_TARGET)}" if judged else ""
        print(f"  {label:<36} raw {raw_x:5.2f}x   engine {eng_x:5.2f}x   full path {full_x:5.2f}x{tail}")

    print(f"\nengine overhead = (engine.run - raw) / raw (target <= {OVERHEAD_TARGET:.0%}):")
    for r in results:
        over_p50 = (r["engine"]["p50"] - r["raw"]["p50"]) / r["raw"]["p50"]
        over_mean = (r["engine"]["mean"] - r["raw"]["mean"]) / r["raw"]["mean"]
        print(f"  {r['profile'].name:<20} p50 {over_p50:+7.1%}   mean {over_mean:+7.1%}   "
              f"(+{r['engine']['p50'] - r['raw']['p50']:.3f} ms)  {verdict(over_p50 <= OVERHEAD_TARGET)}")
    print("  the same with the model compute stubbed out (wrapper only, noise-free; median of "
          f"{STUB_CALLS} calls):")
    for r in results:
        st = r["stub_us"]
        extra = st["engine"] - st["raw"]
        print(f"  {r['profile'].name:<20} raw {st['raw']:7.1f} us, engine.run {st['engine']:7.1f} us -> "
              f"+{extra:.1f} us = {extra / 1000 / r['raw']['p50']:+.2%} of raw p50  "
              f"{verdict(extra / 1000 / r['raw']['p50'] <= OVERHEAD_TARGET)}")

    print("\nfull path: share of decode + preprocess + postprocess (p50 of each step):")
    for r in results:
        pm = r["parts_ms"]
        total = sum(pm.values())
        io = pm["decode"] + pm["pre"] + pm["post"]
        print(f"  {r['profile'].name:<20} decode {pm['decode']:.2f} ms, pre {pm['pre']:.2f} ms, "
              f"run {pm['run']:.2f} ms, post {pm['post']:.2f} ms -> {io / total:.0%} outside the model")
    print(f"\nload average at the end {load_avg()}")
    print("(a measurement: PASS/MISS are information and the exit status is 0)")
    if args.keep:
        print(f"kept {tmp}; bundle: {bundle}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
