"""The structuring pipeline on real footage (a few seconds of vtest.avi through the motion
detector deployment), and its behaviour when streams misbehave: several cameras at once,
one hanging, one corrupt, one real; each gets its own status and the real one its records,
within a bounded time."""
import os
import socket
import threading
import time
from datetime import timedelta

import cv2
import pytest

from core.inference.actions.deployments import set_status
from core.inference.models import PredictionRecord
from verticals.city.actions.cameras import create_camera
from verticals.city.models import Camera, Event, Rule, StreamRun, TrackRecord
from verticals.city.actions.detectors import deploy_motion_detector
from verticals.city.actions.pipeline import run_camera, run_cameras

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
pytestmark = pytest.mark.skipif(not os.path.exists(VTEST), reason="opencv-doc (vtest.avi) is not installed")


@pytest.fixture
def motion(orgs, users):
    return deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"])


def camera(orgs, users, motion, code="gate-1", source=VTEST, **kw):
    return create_camera(organisation=orgs["a"], code=code, name=code, source=source, deployment=motion,
                         acting_user=users["a_dev"], **kw)


def short_clip(path, frames=24):
    """The first `frames` frames of vtest.avi as their own file."""
    cap = cv2.VideoCapture(VTEST)
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (768, 576))
    for _ in range(frames):
        ok, frame = cap.read()
        out.write(frame)
    out.release()
    cap.release()
    return str(path)


def test_walking_people_become_tracks_with_stable_ids_and_records_in_the_frame(orgs, users, motion):
    cam = camera(orgs, users, motion)
    run = run_camera(cam, max_frames=40)
    cam.refresh_from_db()
    assert run.frames_analysed == 40 and run.outcome == "online" and run.decode_errors == 0
    assert run.model_version_id == motion.model_version_id and run.finished_at is not None
    records = list(TrackRecord.objects.filter(run=run).order_by("frame_index", "track_id"))
    assert records and run.tracks == len({r.track_id for r in records})
    for r in records:
        x1, y1, x2, y2 = r.box
        assert 0 <= x1 < x2 <= 640 and 0 <= y1 < y2 <= 480
        assert r.frame_index % 2 == 0  # 10 FPS sampled at 5
        # The record's time is the source's clock: frame index / 10 FPS after the run started.
        assert abs((r.observed_at - run.started_at).total_seconds() - r.frame_index / 10) < 1.0
    # Pedestrians cross the hall slowly: several tracks are followed for most of the clip
    # under one id, and ids are not reissued every frame.
    frames_per_track = {}
    for r in records:
        frames_per_track.setdefault(r.track_id, set()).add(r.frame_index)
    long_lived = [t for t, f in frames_per_track.items() if len(f) >= 15]
    assert len(long_lived) >= 2
    per_frame = len(records) / 40
    assert run.tracks < 4 * per_frame + 10
    # A long-lived track moves smoothly: consecutive boxes of one id overlap.
    t = long_lived[0]
    boxes = [r.box for r in records if r.track_id == t]
    for a, b in zip(boxes, boxes[1:]):
        assert min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
    # The camera reports what happened; one PredictionRecord traces the run to its model.
    assert cam.status == "online" and cam.frames_analysed == 40 and cam.measured_fps > 0
    assert cam.last_frame_at == max(r.observed_at for r in records)
    pred = PredictionRecord.objects.get(deployment=motion)
    assert pred.output["stream_run"] == run.pk and pred.output["frames"] == 40 and len(pred.input_sha256) == 64
    assert pred.model_version_id == motion.model_version_id


def test_a_rule_on_the_camera_raises_events_with_the_run_as_evidence(orgs, users, motion):
    from verticals.city.lib.rules import check_rule

    cam = camera(orgs, users, motion)
    geometry = [[0, 0], [640, 0], [640, 480], [0, 480]]
    params = check_rule("zone_entry", geometry, {"classes": ["person"]})
    rule = Rule.objects.create(camera=cam, name="hall", kind="zone_entry", geometry=geometry, params=params,
                               severity=3)
    run = run_camera(cam, max_frames=30)
    events = list(Event.objects.filter(camera=cam))
    assert run.events == len(events) > 0
    assert {e.rule_id for e in events} == {rule.pk} and {e.cls for e in events} == {"person"}
    track_ids = set(TrackRecord.objects.filter(run=run).values_list("track_id", flat=True))
    assert {e.track_id for e in events} <= track_ids
    pred = PredictionRecord.objects.get(deployment=motion)
    assert {e.prediction_id for e in events} == {pred.pk}


def test_a_file_that_ends_is_offline_with_its_frame_count(orgs, users, motion, tmp_path):
    cam = camera(orgs, users, motion, source=short_clip(tmp_path / "clip.avi", 24))
    run = run_camera(cam, max_seconds=20)
    cam.refresh_from_db()
    assert run.frames_read == 24 and run.frames_analysed == 12
    assert run.outcome == cam.status == "offline" and "end of file after 24 frames" in cam.status_message


def test_realtime_paces_a_file_to_its_own_clock(orgs, users, motion):
    cam = camera(orgs, users, motion, analysis_fps=5)
    started = time.monotonic()
    run = run_camera(cam, max_seconds=2.0, realtime=True)
    assert time.monotonic() - started >= 1.8  # it waits for the file's clock (no machine is fast enough to skip that)
    # 2 s of a 10 FPS file sampled at 5: about 10 frames, not the hundreds it could decode, and
    # no more than 2 s of them (the deadline held). How fast a stream runs: bench/city_streams.py.
    assert 8 <= run.frames_analysed <= 12 and run.outcome == "online"


def test_missing_detector_or_stopped_deployment_is_the_cameras_error(orgs, users, motion):
    bare = create_camera(organisation=orgs["a"], code="bare", name="bare", source=VTEST, acting_user=users["a_dev"])
    run = run_camera(bare, max_frames=5)
    bare.refresh_from_db()
    assert run.outcome == bare.status == "error" and "no detector deployment" in bare.status_message
    cam = camera(orgs, users, motion)
    set_status(motion, "stopped", acting_user=users["a_dev"])
    run = run_camera(cam, max_frames=5)
    assert run.outcome == "error" and "cannot serve" in run.message and run.frames_analysed == 0
    assert not TrackRecord.objects.exists()


@pytest.fixture
def silent_server():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held, stop = [], threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    yield srv.getsockname()[1]
    stop.set()
    for c in held:
        c.close()
    srv.close()


def test_a_hanging_url_and_a_corrupt_file_never_hold_up_the_real_camera(transactional_db, orgs, users, tmp_path,
                                                                        silent_server):
    motion = deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"])
    corrupt = tmp_path / "cam3.mp4"
    corrupt.write_bytes(os.urandom(300_000))
    hung = camera(orgs, users, motion, code="hung", source=f"rtsp://127.0.0.1:{silent_server}/live")
    bad = camera(orgs, users, motion, code="corrupt", source=str(corrupt))
    real = camera(orgs, users, motion, code="real")
    started = time.monotonic()
    runs = run_cameras([hung, bad, real], max_seconds=4, open_timeout_s=2, read_timeout_s=2, realtime=True)
    took = time.monotonic() - started
    # a timeout guarantee, not a speed target: each camera gives up within its own limits (run 4 s,
    # open 2 s, read 2 s) and the three run side by side; 3 s spare for starting the readers
    assert took < 4 + 2 + 2 + 3
    by_code = {c.code: c for c in Camera.objects.all()}
    assert by_code["hung"].status == "offline" and "did not open within 2 s" in by_code["hung"].status_message
    assert by_code["corrupt"].status == "error", by_code["corrupt"].status_message
    assert "not a readable video" in by_code["corrupt"].status_message
    assert by_code["real"].status == "online" and by_code["real"].frames_analysed >= 10
    assert [r.outcome for r in runs] == ["offline", "error", "online"]
    assert TrackRecord.objects.filter(camera=real).count() > 0
    assert not TrackRecord.objects.filter(camera__in=[hung, bad]).exists()
    assert StreamRun.objects.filter(finished_at__isnull=True).count() == 0
    assert by_code["real"].last_frame_at >= runs[2].started_at
    assert by_code["real"].last_frame_at <= runs[2].started_at + timedelta(seconds=5)
