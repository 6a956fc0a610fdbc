"""Line patrol: the synthetic patrol generator (category tree, tight boxes, valid COCO),
detections recorded as KG events on a line, and the patrol pipeline end to end."""
import json

import cv2
import numpy as np
import pytest
from django.core.exceptions import ValidationError

from core.data.lib import coco
from core.data.lib.images import decoded_size
from core.platform.verticals import registry
from verticals.energy.lib.synth import patrol as synth

N, SEED, SIZE = 16, 7, 320


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("patrol")
    info = synth.generate(out, n_images=N, seed=SEED, size=SIZE)
    return out, info, json.loads((out / "annotations.json").read_text())


def test_same_seed_same_bytes_other_seed_other_images(generated, tmp_path):
    out, _, _ = generated
    synth.generate(tmp_path / "again", n_images=N, seed=SEED)
    synth.generate(tmp_path / "other", n_images=3, seed=SEED + 1)
    for i in range(3):
        name = f"patrol_{i:04d}.png"
        assert (tmp_path / "again" / "images" / name).read_bytes() == (out / "images" / name).read_bytes()
        assert (tmp_path / "other" / "images" / name).read_bytes() != (out / "images" / name).read_bytes()
    assert (tmp_path / "again" / "annotations.json").read_bytes() == (out / "annotations.json").read_bytes()


def test_category_tree(generated):
    _, info, doc = generated
    assert len(synth.TOP_CATEGORIES) >= 8 and set(synth.CATEGORY_TREE.values()) == set(synth.TOP_CATEGORIES)
    assert {"tower", "insulator", "fittings", "conductor", "foundation", "channel", "bird_nest",
            "auxiliary"} <= set(synth.TOP_CATEGORIES)
    assert 10 <= len(synth.CLASSES) <= 14 and all(info["tree"][top] for top in synth.TOP_CATEGORIES)
    assert [c["name"] for c in sorted(doc["categories"], key=lambda c: c["id"])] == list(synth.CLASSES)
    assert all(c["supercategory"] == synth.CATEGORY_TREE[c["name"]] for c in doc["categories"])
    assert sum(info["per_class"].values()) == len(doc["annotations"]) and min(info["per_class"].values()) >= 1


def test_boxes_inside_images_and_tight(generated):
    """Against the same scene drawn without defects, every box edge row/column changed."""
    out, _, doc = generated
    for a in doc["annotations"]:
        x, y, w, h = a["bbox"]
        assert x >= 0 and y >= 0 and x + w <= SIZE and y + h <= SIZE and w >= 2 and h >= 2
        assert a["area"] == w * h and a["iscrowd"] == 0
    checked = 0
    for image_id in sorted({a["image_id"] for a in doc["annotations"]})[:5]:
        clean, _, _ = synth.scene(np.random.default_rng([SEED, image_id - 1]), SIZE)
        img = cv2.imread(str(out / "images" / f"patrol_{image_id - 1:04d}.png"), cv2.IMREAD_COLOR)
        diff = np.abs(img.astype(np.int16) - clean.astype(np.int16)).max(axis=2)
        for a in (a for a in doc["annotations"] if a["image_id"] == image_id):
            x, y, w, h = a["bbox"]
            patch = diff[y:y + h, x:x + w]
            for edge in (patch[0], patch[-1], patch[:, 0], patch[:, -1]):
                assert edge.max() >= synth.DIFF, a
            checked += 1
    assert checked >= 5


def test_output_passes_the_validator(generated):
    out, info, doc = generated
    report = coco.validate(doc, lambda name: decoded_size((out / "images" / name).read_bytes()))
    assert report.ok, report.messages()
    assert report.stats["clean_images"] == info["clean_images"] == round(N * 0.2)


def test_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError):
        synth.generate(tmp_path, n_images=0)
    with pytest.raises(ValueError):
        synth.generate(tmp_path, size=64)


@pytest.fixture
def grid(orgs, users):
    from verticals.energy.actions.grids import import_grid

    return import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])[0]


DETECTIONS = [
    {"class_id": 10, "label": "bird_nest", "score": 0.91, "box": [120.0, 93.5, 141.0, 105.0]},
    {"class_id": 2, "label": "self_explosion", "score": 0.62, "box": [246.0, 115.0, 255.0, 120.0]},
    {"class_id": 11, "label": "damaged_sign", "score": 0.12, "box": [129.0, 214.0, 145.0, 227.0]},
]


def test_detections_become_kg_events_on_the_line(grid, users):
    from core.kg.models import Entity, Relation
    from core.platform.models import AuditEvent
    from verticals.energy.actions.patrol import record_patrol_detections

    graph, sha = grid.graph, "ab" * 32
    created = record_patrol_detections(DETECTIONS, graph=graph, line_key="line:0", image_sha256=sha,
                                       acting_user=users["a_dev"], threshold=0.5, prediction_id=7, model_version=3)
    assert [e.attributes["sub_category"] for e in created] == ["bird_nest", "self_explosion"]
    nest, burst = created
    assert nest.cls == "PatrolDefect" and nest.attributes["category"] == "bird_nest"
    assert burst.attributes["category"] == "insulator" and burst.attributes["score"] == 0.62
    assert burst.attributes["box"] == [246.0, 115.0, 255.0, 120.0] and burst.attributes["image_sha256"] == sha
    assert burst.attributes["prediction_id"] == 7 and burst.attributes["at"]
    rels = Relation.objects.filter(graph=graph, type="observed_on")
    assert {(r.src.key, r.dst.key) for r in rels} == {(nest.key, "line:0"), (burst.key, "line:0")}
    audit = AuditEvent.objects.filter(action="energy.patrol.record").get()
    assert audit.data["target"] == "line:0" and [d[1] for d in audit.data["defects"]] == ["bird_nest",
                                                                                            "self_explosion"]
    # The same image again adds nothing; a tower the grid lacks and a viewer are refused.
    assert record_patrol_detections(DETECTIONS, graph=graph, line_key="line:0", image_sha256=sha,
                                    acting_user=users["a_dev"], threshold=0.5) == []
    assert Entity.objects.filter(graph=graph, cls="PatrolDefect").count() == 2
    with pytest.raises(ValidationError):
        record_patrol_detections(DETECTIONS, graph=graph, tower_key="tower:1", image_sha256=sha,
                                 acting_user=users["a_dev"])
    with pytest.raises(ValidationError):
        record_patrol_detections(DETECTIONS, graph=graph, line_key="bus:0", image_sha256=sha,
                                 acting_user=users["a_dev"])
    with pytest.raises(PermissionError):
        record_patrol_detections(DETECTIONS, graph=graph, line_key="line:1", image_sha256="cd" * 32,
                                 acting_user=users["a_viewer"])


@pytest.mark.slow
def test_patrol_pipeline_end_to_end(grid, users, orgs, monkeypatch):
    from core.inference.models import Deployment
    from core.kg.models import Entity, Relation
    from core.training.actions.jobs import submit_job
    from core.training.actions.runner import run_job
    from verticals.energy.trainers.patrol import patrol_pipeline

    monkeypatch.setitem(registry["trainers"], "energy.patrol_pipeline", patrol_pipeline)
    job = submit_job(trainer="energy.patrol_pipeline", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"n_images": 12, "epochs": 1, "seed": 2, "patrol_images": 3, "threshold": 0.01})
    assert run_job(job.pk) == "succeeded", job.__class__.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    r = job.result
    assert Deployment.objects.get(pk=r["deployment"]).profile == "cpu-onnxruntime"
    assert r["graph"] == grid.graph.pk and r["line"] == "line:0" and r["predictions"] == 3
    events = Entity.objects.filter(graph=grid.graph, cls="PatrolDefect")
    assert sorted(e.key for e in events) == sorted(r["events"]) and 0 < len(r["events"]) <= 3 * 20
    assert Relation.objects.filter(graph=grid.graph, type="observed_on").count() == len(r["events"])
    assert all(e.attributes["model_version"] == r["model_version"] for e in events)
