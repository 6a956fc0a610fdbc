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
from core.training.detection.metrics import line_metrics, split_coco
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
    mv = ModelVersion.objects.get(pk=job.result["model_version"])
    assert mv.metrics["map50"] == metrics["map50"] and mv.params["labels"] == ["dark_square", "bright_disc"]
    run = job.runs.get()
    assert LineageEdge.objects.filter(src_kind="dataset_version", src_id=dv.pk, dst_id=run.pk).exists()
    assert "epoch 3/3" in job.log_tail and "mAP@0.5" in job.log_tail
    import zipfile

    from core.hub.storage import get_storage

    with zipfile.ZipFile(get_storage().local_path(mv.artifact_id)) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {"paddle/model.json", "paddle/model.pdiparams", "onnx/model.onnx", "train/config.yml"} <= names
    assert manifest["labels"] == ["dark_square", "bright_disc"]
