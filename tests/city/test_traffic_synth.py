"""The synthetic street renderer: same seed same pixels, tight boxes over drawn pixels inside
the frame, scripted trajectories at exact positions, occlusion reported, and a COCO export the
core importer accepts."""
import json

import cv2
import numpy as np
import pytest

from core.data.lib import coco
from core.data.lib.images import decoded_size
from verticals.city.lib.synth import traffic as ts

N, SEED = 14, 5


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("street")
    info = ts.generate_dataset(out, n_images=N, seed=SEED)
    return out, info, json.loads((out / "annotations.json").read_text())


def test_same_seed_same_bytes_other_seed_other_images(dataset, tmp_path):
    out, _, _ = dataset
    ts.generate_dataset(tmp_path / "again", n_images=N, seed=SEED)
    ts.generate_dataset(tmp_path / "other", n_images=3, seed=SEED + 1)
    for i in range(3):
        name = f"street_{i:04d}.jpg"
        assert (tmp_path / "again" / "images" / name).read_bytes() == (out / "images" / name).read_bytes()
        assert (tmp_path / "other" / "images" / name).read_bytes() != (out / "images" / name).read_bytes()
    assert (tmp_path / "again" / "annotations.json").read_bytes() == (out / "annotations.json").read_bytes()
    a = list(ts.iter_clip(seconds=0.5, fps=10, seed=3))
    b = list(ts.iter_clip(seconds=0.5, fps=10, seed=3))
    c = list(ts.iter_clip(seconds=0.5, fps=10, seed=4))
    assert all(np.array_equal(fa, fb) and ga == gb for (fa, ga), (fb, gb) in zip(a, b))
    assert not np.array_equal(a[0][0], c[0][0])


def test_classes_and_coco_export_pass_the_validator(dataset):
    out, info, doc = dataset
    assert ts.CLASSES == ("person", "car", "bus", "truck", "muck_truck", "muck_truck_uncovered")
    assert [c["name"] for c in sorted(doc["categories"], key=lambda c: c["id"])] == list(ts.CLASSES)
    assert min(info["per_class"].values()) >= 1 and sum(info["per_class"].values()) == len(doc["annotations"])
    report = coco.validate(doc, lambda name: decoded_size((out / "images" / name).read_bytes()))
    assert report.ok, report.messages()
    assert report.stats["clean_images"] == info["empty_images"] >= round(N * 0.1) >= 1


def test_boxes_inside_the_frame_cover_drawn_pixels(dataset):
    """Against the same street drawn empty, each box's inside changed and its outer ring mostly did not."""
    out, _, doc = dataset
    checked = 0
    for image_id in sorted({a["image_id"] for a in doc["annotations"]})[:6]:
        rng = np.random.default_rng([SEED, image_id - 1])
        cam = ts.make_camera(rng)
        empty = ts.draw_background(rng, cam).astype(np.int16)
        img = cv2.imread(str(out / "images" / f"street_{image_id - 1:04d}.jpg"), cv2.IMREAD_COLOR).astype(np.int16)
        diff = np.abs(img - empty).max(axis=2)
        for a in (a for a in doc["annotations"] if a["image_id"] == image_id):
            x, y, w, h = a["bbox"]
            assert x >= 0 and y >= 0 and x + w <= ts.WIDTH and y + h <= ts.HEIGHT and w >= 3 and h >= 3
            inside = diff[y:y + h, x:x + w]
            # Lighting shifts every pixel a little; the object changes much more.
            assert np.mean(inside > 40) > 0.3, a
            checked += 1
    assert checked >= 6


def test_vehicle_scale_follows_perspective():
    cam = ts.make_camera(np.random.default_rng([1, 0]))
    app = ts.make_appearance(np.random.default_rng(0), "car")
    bg = np.full((ts.HEIGHT, ts.WIDTH, 3), 90, np.uint8)
    far = ts.Placed(1, "car", app, 200.0, cam.lane_y(0, 200.0), -1)
    near = ts.Placed(2, "car", app, 450.0, cam.lane_y(3, 450.0), 1)
    _, objs = ts.compose(bg, cam, [far, near])
    widths = {o["id"]: o["box"][2] - o["box"][0] for o in objs}
    assert widths[2] > widths[1] * 1.2
    # Feet sit on the box's bottom edge, centred.
    for o in objs:
        x1, y1, x2, y2 = o["box"]
        assert abs((x1 + x2) / 2 - o["foot"][0]) <= 2 and abs(y2 - o["foot"][1]) <= 2


def test_scenario_scripts_exact_positions_and_occlusion(tmp_path):
    geo = ts.scene_geometry(9)
    y_far = geo["lanes"][1]["y"]
    scenario = {"objects": [
        # A muck truck enters a zone at t=3 s: foot from x=100 at t=0 to x=400 at t=6 s (50 px/s).
        {"id": 1, "cls": "muck_truck_uncovered", "keys": [[0, 100, y_far], [6, 400, y_far]]},
        # A bus crosses left to right in the next lane and passes in front of the truck.
        {"id": 2, "cls": "bus", "lane": 2, "t0": 0.0, "speed": 80.0, "x0": 100.0},
        {"id": 3, "cls": "person", "keys": [[1, 600, 350], [4, 600, 350]]},
    ]}
    clip = ts.render_clip(tmp_path / "clip.avi", seconds=6, fps=10, seed=9, scenario=scenario)
    assert clip["camera"] == geo and len(clip["frames"]) == 60
    cap = cv2.VideoCapture(clip["path"])
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 60 and int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)) == 640
    cap.release()
    by_t = {f["frame"]: {o["id"]: o for o in f["objects"]} for f in clip["frames"]}
    assert set(by_t[0]) == {1, 2} and set(by_t[20]) == {1, 2, 3} and 3 not in by_t[45]
    truck = by_t[30][1]
    assert truck["cls"] == "muck_truck_uncovered" and truck["foot"] == [250.0, round(y_far, 2)]
    assert abs((truck["box"][0] + truck["box"][2]) / 2 - 250) <= 1.5
    bus = [by_t[f][2]["foot"][0] for f in range(0, 60, 10) if 2 in by_t[f]]
    assert bus[:3] == [100.0, 180.0, 260.0] and all(b > a for a, b in zip(bus, bus[1:]))
    # The bus (nearer) hides part of the truck while they overlap in x, never the reverse.
    overlap = [f for f in range(60) if 1 in by_t[f] and 2 in by_t[f]
               and by_t[f][2]["box"][0] < by_t[f][1]["box"][2] and by_t[f][1]["box"][0] < by_t[f][2]["box"][2]
               and by_t[f][2]["box"][1] < by_t[f][1]["box"][3]]
    assert overlap and all(by_t[f][2]["visible"] == 1.0 for f in overlap)
    assert min(by_t[f][1]["visible"] for f in overlap) < 0.9


def test_random_traffic_has_every_class_and_boxes_in_frame():
    seen = set()
    for frame, truth in ts.iter_clip(seconds=20, fps=1, seed=11):
        assert frame.shape == (ts.HEIGHT, ts.WIDTH, 3) and frame.dtype == np.uint8
        for o in truth["objects"]:
            x1, y1, x2, y2 = o["box"]
            assert 0 <= x1 < x2 <= ts.WIDTH and 0 <= y1 < y2 <= ts.HEIGHT and 0 <= o["visible"] <= 1
            seen.add(o["cls"])
    assert {"person", "car"} <= seen and seen & ts.MUCK_CLASSES


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError):
        ts.generate_dataset(tmp_path, n_images=0, seed=0)
    with pytest.raises(ValueError, match="cls must be one of"):
        list(ts.iter_clip(seconds=1, seed=0, scenario={"objects": [{"cls": "tank", "lane": 0, "speed": 5}]}))
    with pytest.raises(ValueError, match="keys"):
        list(ts.iter_clip(seconds=1, seed=0, scenario={"objects": [{"cls": "car", "keys": [[2, 0, 0], [1, 5, 5]]}]}))
    with pytest.raises(ValueError, match="lane"):
        list(ts.iter_clip(seconds=1, seed=0, scenario={"objects": [{"cls": "car", "lane": 7, "speed": 5}]}))
