"""core/training/evaluations.py: a trainer's one line builds the report, cuts the thumbnails
from the dataset's images and records the evaluation in the hub as the job's user."""
import zipfile
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from core.hub.storage import get_storage
from core.training.evaluations import (record_binary_evaluation, record_classification_evaluation,
                                       record_detection_evaluation, record_forecast_evaluation,
                                       record_regression_evaluation)
from tests.ui.scene import branch_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(orgs, users):
    return branch_chain(orgs["a"], users["a_dev"], "plant-a")


@pytest.fixture
def ctx(users, tmp_path):
    lines = []
    work = tmp_path / "job"
    work.mkdir()
    return SimpleNamespace(acting_user=users["a_dev"], workdir=work, log=lines.append, lines=lines)


def _images(folder, names):
    (folder / "images").mkdir(parents=True)
    for n, name in enumerate(names):
        Image.new("RGB", (120, 80), (20 * n, 90, 160)).save(folder / "images" / name)
    return folder


def _names(evaluation):
    with zipfile.ZipFile(get_storage().local_path(evaluation.images_id)) as zf:
        return sorted(zf.namelist())


def test_detection_in_one_line(ctx, chain, tmp_path):
    dataset = _images(tmp_path / "coco", ["a.png", "b.png"])
    val_doc = {"images": [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "b.png"}],
               "categories": [{"id": 1, "name": "scratch"}],
               "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]},
                               {"id": 2, "image_id": 2, "category_id": 1, "bbox": [60, 30, 30, 30]}]}
    detections = {1: [{"class_id": 0, "score": 0.9, "box": [10, 10, 30, 30]},
                      {"class_id": 0, "score": 0.7, "box": [80, 50, 100, 70]}], 2: []}
    e = record_detection_evaluation(ctx, chain["version"], val_doc, detections, dataset, ["scratch"],
                                    chain["dataset_version"])
    assert e.kind == "detection" and e.dataset_version_id == chain["dataset_version"].pk
    assert e.split == "validation split: 2 images, 2 boxes"
    assert e.report["false_positives"][0]["image"] == "fp-0000.jpg"
    assert e.report["misses"][0]["image"] == "miss-0000.jpg" and e.report["misses"][0]["file_name"] == "b.png"
    assert _names(e) == ["fp-0000.jpg", "miss-0000.jpg"]
    assert "recorded (detection): map50" in ctx.lines[-1]
    assert not list(ctx.workdir.iterdir())  # the scratch folder is gone


def test_classification_in_one_line_with_thumbnails_of_the_worst(ctx, chain, tmp_path):
    dataset = _images(tmp_path / "cls", ["0.png", "1.png", "2.png"])
    items = [{"image_id": 10, "file_name": "0.png", "label": 0}, {"image_id": 11, "file_name": "1.png", "label": 1},
             {"image_id": 12, "file_name": "2.png", "label": 1}]
    proba = np.array([[0.8, 0.2], [0.6, 0.4], [0.1, 0.9]])
    e = record_classification_evaluation(ctx, chain["version"], items, proba, ["ok", "ng"], dataset,
                                         chain["dataset_version"])
    assert e.summary["accuracy"] == pytest.approx(2 / 3, abs=1e-5)
    assert [(w["id"], w["file_name"], w["image"]) for w in e.report["worst"]] == [
        (11, "1.png", "worst-0000.jpg"), (10, "0.png", "worst-0001.jpg"), (12, "2.png", "worst-0002.jpg")]
    assert _names(e) == ["worst-0000.jpg", "worst-0001.jpg", "worst-0002.jpg"]


def test_tables_and_series_need_no_pictures(ctx, chain):
    e = record_binary_evaluation(ctx, chain["version"], [0, 1, 0, 1], [0.2, 0.9, 0.4, 0.3], chain["dataset_version"])
    assert e.kind == "tabular_classification" and e.images is None and e.summary["auc"] == 0.75
    e = record_regression_evaluation(ctx, chain["version"], [1, 2, 3], [1, 2, 4], None, ids=["x", "y", "z"])
    assert e.report["worst"][0]["id"] == "z" and e.dataset_version_id is None
    e = record_forecast_evaluation(ctx, chain["version"], [1, 2, 3, 4], [1, 3, 3, 5], 2, chain["dataset_version"],
                                   index=["00", "01", "02", "03"])
    assert [h["mae"] for h in e.report["by_horizon"]] == [0.0, 1.0] and e.split == "hold-out: 4 forecast points"
