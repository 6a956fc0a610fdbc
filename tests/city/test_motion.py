"""The moving-object detector: on a scripted scene (where the truth is known), on real
footage (vtest.avi), and served through the core engine as the "cv-motion" backend on the
"cpu-motion" profile with one background per stream."""
import hashlib
import os

import numpy as np
import pytest

from core.inference import engine
from core.inference.profiles import get_profile
from verticals.city.lib.motion import MotionDetector, MotionParams, MotionParamsError
from verticals.city.lib.stream import FrameSource
from verticals.city.actions.detectors import deploy_motion_detector, register_motion_detector, write_motion_bundle

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def scene(t, *, objects=True, seed=0):
    """A textured fixed background with a tall 'pedestrian' walking right and a wide
    'car' driving left; returns (frame, {label: true box})."""
    rng = np.random.default_rng(seed)
    base = rng.integers(60, 120, (360, 640, 3), dtype=np.uint8)
    frame = base.copy()
    noise = np.random.default_rng(1000 + t).integers(-3, 4, frame.shape)
    frame = np.clip(frame.astype(int) + noise, 0, 255).astype(np.uint8)
    truth = {}
    if objects:
        # Objects carry their own texture (a uniform patch moving over itself looks still
        # inside, as it would to any background model).
        tex = np.random.default_rng(7).integers(0, 256, (100, 160, 3), dtype=np.uint8)
        px = 40 + 12 * t
        frame[150:250, px:px + 36] = tex[:, :36]
        truth["person"] = (px, 150, px + 36, 250)
        cx = 560 - 15 * t
        frame[260:320, cx - 120:cx] = tex[:60, 40:160]
        truth["vehicle"] = (cx - 120, 260, cx, 320)
    return frame, truth


def iou(a, b):
    x1, y1, x2, y2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_moving_objects_are_found_where_they_are_with_shape_classes():
    det = MotionDetector(MotionParams(warmup_frames=5))
    for t in range(5):  # the background alone first
        assert det.detect(scene(t, objects=False)[0]) == []
    matched = 0
    for t in range(5, 25):
        frame, truth = scene(t)
        found = det.detect(frame)
        for label, box in truth.items():
            best = max(found, key=lambda d: iou(d["box"], box))
            assert iou(best["box"], box) > 0.7, (t, label, best, box)
            assert best["label"] == label and best["score"] > 0.5
            matched += 1
        for d in found:
            x1, y1, x2, y2 = d["box"]
            assert 0 <= x1 < x2 <= 640 and 0 <= y1 < y2 <= 360
    assert matched == 40


def test_a_still_scene_gives_nothing_and_warmup_gives_nothing():
    det = MotionDetector(MotionParams(warmup_frames=3))
    first = [det.detect(scene(t)[0]) for t in range(3)]
    assert first == [[], [], []]
    still = MotionDetector()
    for t in range(30):
        boxes = still.detect(scene(t, objects=False)[0])
    assert boxes == []


def test_the_frame_size_may_not_change_within_a_stream():
    det = MotionDetector()
    det.detect(np.zeros((360, 640, 3), np.uint8))
    with pytest.raises(ValueError, match="frame size changed from 640x360 to 320x180"):
        det.detect(np.zeros((180, 320, 3), np.uint8))
    with pytest.raises(ValueError, match="uint8 H x W x 3"):
        det.detect(np.zeros((360, 640), np.uint8))


def test_parameters_are_checked_by_name():
    assert MotionParams.from_dict({"history": 50, "var_threshold": 16}).history == 50
    with pytest.raises(MotionParamsError, match="unknown motion parameter.*histroy"):
        MotionParams.from_dict({"histroy": 50})
    with pytest.raises(MotionParamsError, match="max_area"):
        MotionParams.from_dict({"min_area": 0.2, "max_area": 0.1})
    with pytest.raises(MotionParamsError, match="history must be a int"):
        MotionParams.from_dict({"history": "long"})


@pytest.mark.skipif(not os.path.exists(VTEST), reason="opencv-doc (vtest.avi) is not installed")
def test_walking_people_in_vtest_are_detected_as_upright_boxes():
    src = FrameSource(VTEST, analysis_fps=5)  # 640x480: the camera's own aspect
    src.open()
    det = MotionDetector()
    counts, labels = [], {"person": 0, "vehicle": 0}
    for i, frame in enumerate(src.frames()):
        found = det.detect(frame.image)
        if i >= det.params.warmup_frames:
            counts.append(len(found))
            for d in found:
                labels[d["label"]] += 1
                x1, y1, x2, y2 = d["box"]
                assert 0 <= x1 < x2 <= 640 and 0 <= y1 < y2 <= 480
        if i == 60:
            break
    src.close()
    # The scene has several pedestrians in view at all times and nothing else moving.
    assert np.median(counts) >= 3
    assert labels["person"] > 3 * labels["vehicle"]


def test_the_backend_keeps_one_background_per_stream(tmp_path, settings):
    bundle = write_motion_bundle(tmp_path / "m.zip", MotionParams(warmup_frames=4))
    again = write_motion_bundle(tmp_path / "m2.zip", MotionParams(warmup_frames=4))
    sha = hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert sha == hashlib.sha256(again.read_bytes()).hexdigest()  # deterministic: same params, same bytes
    loaded = engine.load_bundle(bundle, sha, get_profile("cpu-motion"))
    assert loaded.manifest["labels"] == ["person", "vehicle"]
    for t in range(4):
        assert engine.run(loaded, {"stream": "a", "frame": scene(t, objects=False)[0]})["boxes"].shape == (0, 6)
    frame, truth = scene(10)
    warm = engine.run(loaded, {"stream": "a", "frame": frame})["boxes"]
    fresh = engine.run(loaded, {"stream": "b", "frame": frame})["boxes"]
    assert warm.shape[0] == 2 and fresh.shape == (0, 6)  # b has learnt nothing yet
    assert sorted(warm[:, 0].astype(int).tolist()) == [0, 1]
    assert loaded.model.streams() == 2
    engine.run(loaded, {"stream": "a", "release": True})
    assert loaded.model.streams() == 1
    with pytest.raises(ValueError, match="stream"):
        engine.run(loaded, {"frame": frame})


def test_registered_and_deployed_through_the_hub(db, orgs, users):
    from core.inference.actions.predict import serving_model
    from core.inference.codecs import detection

    dep = deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"], params={"warmup_frames": 2})
    assert dep.profile == "cpu-motion" and dep.model_version.params["warmup_frames"] == 2
    assert deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"]).pk == dep.pk
    loaded = serving_model(dep, users["a_dev"])
    for t in range(2):
        engine.run(loaded, {"stream": "cam", "frame": scene(t, objects=False)[0]})
    frame, truth = scene(8)
    found = detection.postprocess(engine.run(loaded, {"stream": "cam", "frame": frame}), loaded.manifest)
    assert {d["label"] for d in found} == {"person", "vehicle"}
    v2 = register_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"], params={"history": 300})
    assert v2.version == 2 and v2.model_id == dep.model_version.model_id
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        register_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"], params={"bogus": 1})
