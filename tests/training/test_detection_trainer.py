"""A real (tiny) PaddleDetection run through the job runner: loss goes down, the model
is exported to Paddle and ONNX, evaluated through the engine and registered."""
import json

import pytest

from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_coco
from core.hub.actions.registry import create_model
from core.hub.models import LineageEdge, ModelVersion
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.detection.metrics import (found_by_class, guard_level, guarded_scores, line_metrics,
                                             operating_point, part_scores, split_coco)
from core.training.trainers.detection import check_params
from tests.detection_fixtures import make_coco


def test_line_metrics_by_hand():
    gt = {"images": [{"id": i} for i in (1, 2, 3, 4)],
          "annotations": [{"image_id": 1}, {"image_id": 2}]}
    dets = {1: [{"score": 0.9}], 2: [{"score": 0.2}], 3: [{"score": 0.7}], 4: []}
    m = line_metrics(gt, dets, 0.5)
    # image 3 is good but rejected (over-kill); image 2 is defective but passed (escape)
    assert m["over_kill_rate"] == 0.5 and m["escape_rate"] == 0.5
    assert line_metrics(gt, dets, 0.1)["escape_rate"] == 0.0


def test_operating_point_is_the_highest_threshold_within_the_escape_target():
    # parts 1-4 defective, 5-8 good
    gt = {"images": [{"id": i} for i in range(1, 9)], "annotations": [{"image_id": i} for i in (1, 2, 3, 4)]}
    dets = {1: [{"score": 0.9}], 2: [{"score": 0.6}, {"score": 0.1}], 3: [{"score": 0.3}], 4: [],
            5: [{"score": 0.5}], 6: [{"score": 0.2}], 7: [], 8: []}
    scores = part_scores(gt, dets)
    assert scores[2] == 0.6 and scores[4] == 0.0
    op = operating_point(gt, scores, max_escape=0.25)
    # 0.3 passes only part 4 (escape 1/4) and rejects the good part scoring 0.5
    assert op["threshold"] == 0.3 and op["escape_rate"] == 0.25 and op["over_kill_rate"] == 0.25 and op["met"]
    strict = operating_point(gt, scores, max_escape=0.5)
    assert strict["threshold"] == 0.6 and strict["over_kill_rate"] == 0.0 and strict["escape_rate"] == 0.5
    # part 4 has no detection at all: no threshold in range catches it
    never = operating_point(gt, scores, max_escape=0.0)
    assert never["threshold"] == 0.01 and not never["met"] and never["escape_rate"] == 0.25
    # a baseline's own units: thresholds span its scores, 0 rejects every part
    units = operating_point(gt, {1: 9.0, 2: 7.5, 3: 3.0, 4: 6.0, 5: 8.0, 6: 2.0, 7: 0.0, 8: 1.0}, max_escape=0.0,
                            lowest=0.0, highest=9.0)
    assert units["threshold"] == 3.0 and units["over_kill_rate"] == 0.25 and units["met"]


def test_found_by_class_counts_defects_a_confident_detection_lands_on():
    gt = {"categories": [{"id": 1, "name": "scratch"}, {"id": 2, "name": "pinhole"}, {"id": 3, "name": "dent"}],
          "images": [{"id": 1}, {"id": 2}],
          "annotations": [{"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 4]},
                          {"image_id": 1, "category_id": 2, "bbox": [100, 100, 3, 3]},
                          {"image_id": 2, "category_id": 2, "bbox": [50, 50, 3, 3]},
                          {"image_id": 2, "category_id": 1, "bbox": [200, 200, 30, 30]}]}
    dets = {1: [{"class_id": 1, "score": 0.8, "box": [12, 9, 48, 15]},  # on the scratch, wrong label: found
                {"class_id": 1, "score": 0.3, "box": [99, 99, 104, 104]}],  # on the pinhole, below threshold
            2: [{"class_id": 0, "score": 0.9, "box": [47, 47, 56, 56]},  # 9 px box round a 3 px pinhole: IoU 0.11
                {"class_id": 0, "score": 0.9, "box": [228, 228, 260, 260]}]}  # grazes the 30 px box: IoU < 0.1
    found = found_by_class(gt, dets, 0.5)
    assert found["scratch"] == {"defects": 2, "found": 1, "rate": 0.5}
    assert found["pinhole"] == {"defects": 2, "found": 1, "rate": 0.5}
    assert found["dent"] == {"defects": 0, "found": 0, "rate": None}
    assert found_by_class(gt, dets, 0.25)["pinhole"]["found"] == 2
    assert found_by_class(gt, {}, 0.5)["scratch"]["found"] == 0


def test_a_baseline_guard_rejects_what_no_good_part_reached():
    assert guard_level([3.0, 6.5, 4.0]) == 7.15 and guard_level([3.0], margin=1.0) == 3.0
    assert guard_level([]) is None
    # parts 1-4 defective, 5-8 good; the model misses part 4, the baseline sees it strongly
    gt = {"images": [{"id": i} for i in range(1, 9)], "annotations": [{"image_id": i} for i in (1, 2, 3, 4)]}
    model = {1: 0.9, 2: 0.6, 3: 0.3, 4: 0.0, 5: 0.5, 6: 0.2, 7: 0.0, 8: 0.0}
    baseline = {1: 5.0, 2: 3.0, 3: 2.0, 4: 9.0, 5: 6.0, 6: 1.0, 7: 0.0, 8: 2.0}
    guarded = guarded_scores(model, baseline, 7.15)
    assert guarded == {**model, 4: 1.0}
    alone, together = (operating_point(gt, s, max_escape=0.0) for s in (model, guarded))
    assert not alone["met"] and alone["over_kill_rate"] == 0.5  # catching part 4 needs the lowest threshold
    assert together["met"] and together["threshold"] == 0.3 and together["over_kill_rate"] == 0.25
    # the good part scoring 6.0 stays under the guard: the baseline alone could not be that strict
    assert guarded[5] == 0.5


def test_split_is_deterministic_and_disjoint():
    doc = {"images": [{"id": i} for i in range(1, 21)], "annotations": [{"id": i, "image_id": i} for i in range(1, 21)],
           "categories": []}
    a_train, a_val = split_coco(doc, val_fraction=0.25, seed=3)
    b_train, b_val = split_coco(doc, val_fraction=0.25, seed=3)
    assert a_val == b_val and len(a_val["images"]) == 5
    assert not {i["id"] for i in a_train["images"]} & {i["id"] for i in a_val["images"]}


def test_params_are_checked():
    with pytest.raises(ValueError, match="dataset_version"):
        check_params({})
    with pytest.raises(ValueError, match="epochs"):
        check_params({"dataset_version": 1, "epochs": 0})
    with pytest.raises(ValueError, match="max_escape"):
        check_params({"dataset_version": 1, "max_escape": 0.9})
    with pytest.raises(ValueError, match="presence_target"):
        check_params({"dataset_version": 1, "presence_target": 1.5})
    with pytest.raises(ValueError, match="architecture='yolo'"):
        check_params({"dataset_version": 1, "architecture": "yolo"})
    with pytest.raises(ValueError, match="epochs='ten' is not a number"):
        check_params({"dataset_version": 1, "epochs": "ten"})
    with pytest.raises(ValueError, match="small_box_sampling='yes please' is not true or false"):
        check_params({"dataset_version": 1, "small_box_sampling": "yes please"})
    for spelled, meant in ((True, True), ("True", True), ("1", True), (0, False), ("false", False)):
        assert check_params({"dataset_version": 1, "small_box_sampling": spelled})["small_box_sampling"] is meant
    assert check_params({"dataset_version": 1})["guard"] is True
    assert check_params({"dataset_version": 1, "guard": "false"})["guard"] is False
    with pytest.raises(ValueError, match="guard='sometimes' is not true or false"):
        check_params({"dataset_version": 1, "guard": "sometimes"})


@pytest.mark.slow
def test_tiny_detection_training_end_to_end(tmp_path, users, orgs):
    dev, a = users["a_dev"], orgs["a"]
    ds = create_dataset(name="squares", organisation=a, kind="detection", acting_user=dev)
    dv = import_coco(make_coco(tmp_path / "coco", n=24), dataset=ds, acting_user=dev)
    model = create_model(name="squares-det", organisation=a, acting_user=dev)
    job = submit_job(trainer="core.detection", organisation=a, acting_user=dev,
                     params={"dataset_version": dv.pk, "model_id": model.pk, "epochs": 3, "batch_size": 6,
                             "learning_rate": 0.1, "seed": 1, "val_fraction": 0.25})
    assert run_job(job.pk) == "succeeded", job.__class__.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    metrics = job.result["metrics"]
    assert metrics["loss_last"] < metrics["loss_first"]
    assert set(metrics["ap50_per_class"]) == {"dark_square", "bright_disc"}
    assert 0 <= metrics["line"]["over_kill_rate"] <= 1 and metrics["val_images"] == 6
    op = metrics["operating_point"]
    assert op["max_escape"] == 0.05 and 0.01 <= op["threshold"] <= 0.99 and op["parts"] == 6
    assert op["met"] == (op["escape_rate"] <= 0.05) and "baseline" not in metrics and "guarded" not in metrics
    found = op["found_by_class"]
    assert set(found) == {"dark_square", "bright_disc"}
    assert sum(f["defects"] for f in found.values()) > 0 and all(0 <= f["found"] <= f["defects"] for f in found.values())
    mv = ModelVersion.objects.get(pk=job.result["model_version"])
    assert mv.metrics["map50"] == metrics["map50"] and mv.params["labels"] == ["dark_square", "bright_disc"]
    run = job.runs.get()
    assert LineageEdge.objects.filter(src_kind="dataset_version", src_id=dv.pk, dst_id=run.pk).exists()
    assert "epoch 3/3" in job.log_tail and "mAP@0.5" in job.log_tail and "defects found there, by class" in job.log_tail
    import zipfile

    from core.hub.storage import get_storage

    with zipfile.ZipFile(get_storage().local_path(mv.artifact_id)) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {"paddle/model.json", "paddle/model.pdiparams", "onnx/model.onnx", "train/config.yml"} <= names
    assert manifest["labels"] == ["dark_square", "bright_disc"]
