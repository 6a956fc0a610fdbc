"""The video structuring pipeline: a camera's stream -> sampled frames -> its detector
deployment (through the core engine) -> tracks (lib.tracker) -> rules (lib.rules) ->
TrackRecords and Events, with the camera's status, rate and last frame kept current.

One camera's failure (a dead URL, a hung server, a corrupt file, a detector that cannot
load, a crash in the analysis) ends as that camera's status and its StreamRun's outcome;
run_camera never raises for it, and run_cameras gives each camera its own thread and
wall-clock limit so a hung one never holds up the others (live streams are decoded in a
reader process of their own, lib.stream, because OpenCV opens FFmpeg captures under one
process-wide lock that a hung URL would otherwise hold for everyone).

Lineage: the StreamRun names the model version that analysed it, and one PredictionRecord
per run (not per frame: at 5 FPS per camera that would be the largest table for little
use), written once when the run ends (actions.streams), links the deployment to the run's
output summary with a SHA-256 over every analysed frame's pixels; each Event points at it.

Every write goes through the actions (cameras, events, streams); this module only reads
frames and orchestrates.

Time: TrackRecord.observed_at is the run's start plus the frame's time on the source's
clock (frame index / fps for files, the wall clock for live streams), so a file analysed
faster than real time still gets the timeline it was recorded with."""
import hashlib
import logging
import threading
import time
from datetime import timedelta

from django.apps import apps
from django.db import close_old_connections, connection
from django.utils import timezone

from .cameras import record_progress, set_camera_status
from .events import record_event
from .streams import RECORD_BATCH, finish_stream_run, start_stream_run, store_track_records
from ..models import Camera, StreamRun, TrackRecord

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 2.0
# Below this share of the asked rate a live (or paced) camera is "degraded".
DEGRADED_SHARE = 0.8
# Extra seconds a camera's thread gets beyond its own limits before run_cameras gives up on it.
THREAD_GRACE_S = 15.0


class CameraFailed(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def city_setting(key):
    return apps.get_app_config("city").setting(key)


class FrameDetector:
    """The camera's deployment as a per-frame function: BGR frame -> [{"label", "score",
    "box"}], through the model's codec (a motion model keeps a background per stream key).
    Frames are not recorded one by one: the run's one PredictionRecord is written at its
    end (actions.streams)."""

    def __init__(self, deployment, *, acting_user, stream_key):
        from core.inference.actions.predict import DeploymentUnavailable, serving_model
        from core.inference.codecs import codec_for

        try:
            self.loaded = serving_model(deployment, acting_user)
        except (DeploymentUnavailable, PermissionError) as exc:
            raise CameraFailed("error", f"detector {deployment.name!r} cannot serve: {exc}") from None
        self.codec = codec_for(self.loaded)
        self.config = deployment.config or {}
        self.stream_key = stream_key

    def _run(self, inputs):
        from core.inference import engine
        from core.inference.actions.predict import run_codec

        _, decoded = run_codec(self.codec, self.loaded, inputs, self.config, engine.run)
        return decoded.answer["detections"]

    def __call__(self, frame):
        return self._run({"stream": self.stream_key, "frame": frame})

    def release(self):
        if self.codec.per_stream:
            self._run({"stream": self.stream_key, "release": True})


def _ruleset(camera):
    """The camera's enabled rules; one that no longer validates is skipped and named."""
    from ..lib.rules import RuleError, RuleSet

    specs, skipped = [], []
    for rule in camera.rules.filter(enabled=True):
        spec = {"id": rule.pk, "kind": rule.kind, "geometry": rule.geometry, "params": rule.params,
                "severity": rule.severity, "name": rule.name}
        try:
            RuleSet([spec])
        except RuleError as exc:
            skipped.append(f"{rule.name}: {exc}")
            continue
        specs.append(spec)
    return RuleSet(specs), skipped


def _clip_box(box, w, h):
    x1, y1, x2, y2 = (float(v) for v in box)
    return [round(min(max(x1, 0.0), w), 1), round(min(max(y1, 0.0), h), 1),
            round(min(max(x2, 0.0), w), 1), round(min(max(y2, 0.0), h), 1)]


def _tracker(deployment):
    from ..lib.tracker import Tracker

    c = deployment.config or {}
    kwargs = {k: c[f"track_{k}"] for k in ("high_thresh", "low_thresh", "match_iou", "max_lost", "min_hits")
              if f"track_{k}" in c}
    return Tracker(**kwargs)


def run_camera(camera, *, max_seconds=None, max_frames=None, acting_user=None, realtime=None,
               open_timeout_s=None, read_timeout_s=None, stop_event=None, out_size=None) -> StreamRun:
    """Analyse `camera`'s stream until it ends, fails, `max_seconds` of wall time pass or
    `max_frames` frames are analysed. realtime (default: only for live sources) paces a
    file to its own clock, as a camera would deliver it. Returns the finished StreamRun;
    the outcome is in run.outcome / run.message and on the camera. out_size (w, h) forces
    the analysed frame size regardless of aspect (benchmarks at 640x360)."""
    started_wall = timezone.now()
    started = time.monotonic()
    deadline = started + max_seconds if max_seconds else None
    deployment = camera.deployment
    run = start_stream_run(camera)
    state = {"frames_analysed": 0, "tracks": set(), "events": [], "records": [], "detections": 0,
             "per_class": {}, "last_frame_at": None,
             "base_frames": camera.frames_analysed}
    frame_digest = hashlib.sha256()
    source = detector = None
    streamed = False
    notes = []
    status, message = Camera.Status.ERROR, ""
    try:
        if deployment is None:
            raise CameraFailed("error", "no detector deployment is set for this camera")
        detector = FrameDetector(deployment, acting_user=acting_user, stream_key=f"camera-{camera.pk}-run-{run.pk}")
        rules, skipped = _ruleset(camera)
        if skipped:
            notes.append(f"{len(skipped)} rule(s) skipped: " + "; ".join(skipped))
        tracker = _tracker(deployment)
        from ..lib.stream import FrameSource, StreamError

        source = FrameSource(camera.source, frame_width=camera.frame_width, analysis_fps=camera.analysis_fps,
                             open_timeout_s=open_timeout_s or city_setting("open_timeout_s"),
                             read_timeout_s=read_timeout_s or city_setting("read_timeout_s"), out_size=out_size)
        try:
            info = source.open()
        except StreamError as exc:
            raise CameraFailed(exc.status, exc.message) from None
        pace = info.live is False and (realtime if realtime is not None else False)
        set_camera_status(camera, Camera.Status.ONLINE,
                          f"streaming {info.width}x{info.height} at {info.fps:g} FPS, analysed at "
                          f"{info.out_width}x{info.out_height}, {camera.analysis_fps:g} FPS", acting_user=acting_user)
        streamed = True
        last_progress = time.monotonic()
        try:
            for frame in source.frames(deadline=deadline):
                if stop_event is not None and stop_event.is_set():
                    notes.append("stopped on request")
                    break
                if pace:
                    ahead = started + frame.t - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                _analyse(camera, run, frame, info, detector, tracker, rules, state, frame_digest, started_wall)
                now = time.monotonic()
                if now - last_progress >= PROGRESS_EVERY_S:
                    _flush(state)
                    record_progress(camera, last_frame_at=state["last_frame_at"],
                                    frames_analysed=state["base_frames"] + state["frames_analysed"],
                                    measured_fps=round(state["frames_analysed"] / max(now - started, 1e-6), 2))
                    last_progress = now
                if max_frames and state["frames_analysed"] >= max_frames:
                    break
        except StreamError as exc:
            raise CameraFailed(exc.status, exc.message) from None
        elapsed = max(time.monotonic() - started, 1e-6)
        fps = state["frames_analysed"] / elapsed
        if source.finished:
            status, message = Camera.Status.OFFLINE, source.end_message
        elif source.decode_errors:
            status, message = Camera.Status.DEGRADED, f"{source.decode_errors} decode error(s)"
        elif (info.live or pace) and elapsed > 3 and fps < DEGRADED_SHARE * camera.analysis_fps:
            status, message = (Camera.Status.DEGRADED,
                               f"analysed {fps:.1f} FPS of the {camera.analysis_fps:g} asked")
        else:
            status, message = Camera.Status.ONLINE, f"analysed {state['frames_analysed']} frames at {fps:.1f} FPS"
    except CameraFailed as exc:
        status, message = exc.status, exc.message
    except Exception as exc:  # noqa: BLE001 - one camera's crash is its status, never the caller's exception
        log.exception("camera %s: analysis failed", camera.code)
        status, message = Camera.Status.ERROR, f"analysis failed: {type(exc).__name__}: {exc}"
    finally:
        if source is not None:
            source.close()
        if detector is not None:
            try:
                detector.release()
            except Exception:  # noqa: BLE001
                pass
    return _finish(camera, run, state, source, status, message, notes, started, frame_digest,
                   deployment if streamed else None, acting_user)


def _analyse(camera, run, frame, info, detector, tracker, rules, state, frame_digest, started_wall):
    from ..lib.tracker import Detection

    t0 = time.perf_counter()
    detections = detector(frame.image)
    state["detect_ms"] = state.get("detect_ms", 0.0) + (time.perf_counter() - t0) * 1000
    frame_digest.update(frame.image.data)
    observed_at = started_wall + timedelta(seconds=frame.t)
    state["frames_analysed"] += 1
    state["last_frame_at"] = observed_at
    state["detections"] += len(detections)
    for d in detections:
        state["per_class"][d["label"]] = state["per_class"].get(d["label"], 0) + 1
    tracks = tracker.update([Detection(box=tuple(d["box"]), score=float(d["score"]), cls=d["label"])
                             for d in detections], frame.t)
    w, h = info.out_width, info.out_height
    for tr in tracks:
        state["tracks"].add(tr.track_id)
        state["records"].append(TrackRecord(
            camera=camera, run=run, track_id=tr.track_id, cls=tr.cls, score=round(float(tr.score), 4),
            box=_clip_box(tr.box, w, h), frame_index=frame.index, observed_at=observed_at,
            attributes={"first_seen_s": round(tr.first_seen, 2)}))
    if len(state["records"]) >= RECORD_BATCH:
        _flush(state)
    hits = rules.evaluate(tracks, frame.t, timezone.localtime(observed_at))
    if hits:
        by_id = {tr.track_id: tr for tr in tracks}
        for hit in hits:
            tr = by_id.get(hit.track_id)
            boxes = [{"track_id": hit.track_id, "cls": hit.cls, "box": _clip_box(tr.box, w, h)}] if tr else []
            event = record_event(camera=camera, hit=hit, frame_bgr=frame.image, boxes=boxes, occurred_at=observed_at)
            state["events"].append(event.pk)


def _flush(state):
    store_track_records(state["records"])
    state["records"] = []


def _finish(camera, run, state, source, status, message, notes, started, frame_digest, deployment, acting_user):
    """Close the run and, when its stream was opened, record its one PredictionRecord."""
    elapsed = max(time.monotonic() - started, 1e-6)
    analysed = state["frames_analysed"]
    fps = round(analysed / elapsed, 2) if analysed else 0.0
    text = "; ".join([m for m in [message, *notes] if m])[:500]
    try:
        _flush(state)
    except Exception as exc:  # noqa: BLE001
        status, text = Camera.Status.ERROR, f"could not store the records: {exc}"[:500]
    figures = {"frames_read": source.frames_read if source is not None else 0,
               "decode_errors": source.decode_errors if source is not None else 0,
               "frames_analysed": analysed, "tracks": len(state["tracks"]), "events": len(state["events"]),
               "fps": fps, "outcome": status, "message": text}
    prediction = None
    if deployment is not None:
        prediction = {"input_sha256": frame_digest.hexdigest() if analysed else "",
                      "output": {"stream_run": run.pk, "camera": camera.code, "frames": analysed,
                                 "detections": state["detections"], "per_class": state["per_class"],
                                 "tracks": len(state["tracks"]), "events": len(state["events"]), "outcome": status,
                                 "note": "one record per stream run; the frames' SHA-256 covers every analysed "
                                         "frame"},
                      "latency_ms": round(state.get("detect_ms", 0.0) / max(analysed, 1), 3)}
    finish_stream_run(run, figures=figures, deployment=deployment, prediction=prediction,
                      event_ids=state["events"], acting_user=acting_user)
    metrics = {"measured_fps": fps}
    if analysed:
        metrics["last_frame_at"] = state["last_frame_at"]
        metrics["frames_analysed"] = state["base_frames"] + analysed
    set_camera_status(camera, status, text, acting_user=acting_user, **metrics)
    return run


def run_cameras(cameras, *, max_seconds=60.0, max_frames=None, acting_user=None, realtime=None,
                open_timeout_s=None, read_timeout_s=None) -> list:
    """Each camera in its own thread, all at once, each bounded by its own wall-clock limit
    (max_seconds plus the open and read timeouts plus a grace). Returns one entry per camera
    in order: its StreamRun, or None when its thread had to be abandoned (then the camera is
    marked "error" with why)."""
    if not max_seconds or max_seconds <= 0:
        raise ValueError("run_cameras needs max_seconds: a live stream never ends on its own")
    cameras = list(cameras)
    results: list = [None] * len(cameras)
    open_s = open_timeout_s or city_setting("open_timeout_s")
    read_s = read_timeout_s or city_setting("read_timeout_s")
    stop = threading.Event()

    def work(i, camera):
        close_old_connections()
        try:
            results[i] = run_camera(camera, max_seconds=max_seconds, max_frames=max_frames, acting_user=acting_user,
                                    realtime=realtime, open_timeout_s=open_s, read_timeout_s=read_s, stop_event=stop)
        except Exception:  # noqa: BLE001 - run_camera already reports; this only guards the thread
            log.exception("camera %s: run failed", camera.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, c), name=f"camera-{c.code}", daemon=True)
               for i, c in enumerate(cameras)]
    for t in threads:
        t.start()
    limit = max_seconds + open_s + read_s + THREAD_GRACE_S
    end = time.monotonic() + limit
    for t in threads:
        t.join(max(0.0, end - time.monotonic()))
    stop.set()
    for i, (t, camera) in enumerate(zip(threads, cameras)):
        if t.is_alive():
            set_camera_status(camera, Camera.Status.ERROR, f"the analysis did not finish within {limit:g} s; "
                                                           "its worker thread was abandoned",
                              acting_user=acting_user)
    return results
