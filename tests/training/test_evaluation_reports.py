"""The report builders of core/training/lib/evaluation.py on inputs small enough to check by
hand, the thumbnails of core/training/lib/crops.py, and that what the builders make is what
the hub's evaluation schema accepts."""
import json
import math
import zipfile

import numpy as np
import pytest
from PIL import Image

from core.hub.lib import evaluation_schema as schema
from core.training.lib import crops
from core.training.lib.evaluation import (LARGE_MIN_AREA, SMALL_MAX_AREA, binary_report, classification_report,
                                          detection_report, forecast_report, regression_report)


def test_classification_confusion_matrix_and_per_class_by_hand():
    labels = ["a", "b", "c"]
    y_true = [0, 0, 1, 1, 2, 2]
    proba = [[0.7, 0.2, 0.1],   # a -> a
             [0.3, 0.6, 0.1],   # a -> b   (0.3 on its true class)
             [0.1, 0.8, 0.1],   # b -> b
             [0.2, 0.5, 0.3],   # b -> b
             [0.05, 0.05, 0.9],  # c -> c
             [0.5, 0.4, 0.1]]   # c -> a   (0.1 on its true class: the worst)
    summary, report = classification_report(y_true, None, proba, labels, ids=[11, 12, 13, 14, 15, 16], worst=3)
    assert report["confusion_matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    rows = {r["label"]: r for r in report["per_class"]}
    assert rows["a"] == {"label": "a", "precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2}
    assert rows["b"]["precision"] == pytest.approx(2 / 3, abs=1e-6) and rows["b"]["recall"] == 1.0
    assert rows["b"]["f1"] == pytest.approx(0.8)
    assert rows["c"]["precision"] == 1.0 and rows["c"]["recall"] == 0.5
    assert rows["c"]["f1"] == pytest.approx(2 / 3, abs=1e-6)
    assert summary["accuracy"] == pytest.approx(4 / 6, abs=1e-6)
    assert summary["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3, abs=1e-5)
    assert summary["examples"] == 6
    assert [(w["id"], w["true"], w["predicted"]) for w in report["worst"]] == [(16, "c", "a"), (12, "a", "b"),
                                                                              (14, "b", "b")]
    assert report["worst"][0]["true_score"] == 0.1 and report["worst"][0]["score"] == 0.5
    assert schema.validate("classification", summary, report) == set()


def test_classification_without_probabilities_lists_the_mistakes():
    _summary, report = classification_report([0, 1, 1], [0, 0, 1], None, ["ok", "ng"], ids=["x", "y", "z"])
    assert [w["id"] for w in report["worst"]] == ["y"]
    assert report["worst"][0]["true_score"] is None
    with pytest.raises(ValueError, match="0..1"):
        classification_report([0, 2], [0, 1], None, ["ok", "ng"], ids=[1, 2])


def _one_image_case():
    """One 100x100 image, class "scratch": a small object (20x20, area 400) found at 0.9,
    a medium one (40x40, area 1600) seen only at 0.3, and a confident box on nothing at 0.8."""
    gt = {"images": [{"id": 7, "file_name": "part.png", "width": 100, "height": 100}],
          "categories": [{"id": 1, "name": "scratch"}, {"id": 2, "name": "spot"}],
          "annotations": [{"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 10, 20, 20]},
                          {"id": 2, "image_id": 7, "category_id": 1, "bbox": [50, 50, 40, 40]}]}
    detections = {7: [{"class_id": 0, "score": 0.9, "box": [10, 10, 30, 30]},
                      {"class_id": 0, "score": 0.8, "box": [40, 0, 55, 15]},
                      {"class_id": 0, "score": 0.3, "box": [50, 50, 90, 90]}]}
    return gt, detections


def test_detection_one_false_positive_and_one_miss():
    gt, detections = _one_image_case()
    summary, report = detection_report(gt, detections, ["scratch", "spot"], threshold=0.5)
    # In score order: TP (recall .5, precision 1), FP (.5, .5), TP (1, 2/3). COCO's interpolated
    # precision is 1 up to recall .5 (51 of 101 recall thresholds) and 2/3 above (50 of them).
    ap = (51 + 50 * 2 / 3) / 101
    curves = {c["label"]: c for c in report["pr_curves"]}
    assert curves["scratch"]["ap50"] == pytest.approx(ap, abs=1e-5)
    assert len(curves["scratch"]["recall"]) == 51
    assert curves["scratch"]["precision"][0] == 1.0 and curves["scratch"]["precision"][-1] == pytest.approx(0.6667)
    assert curves["spot"]["ap50"] is None and curves["spot"]["precision"] == []  # no ground truth
    assert summary["map50"] == pytest.approx(ap, abs=1e-5)
    # By size: small holds the found box and the false positive (AP 1: the FP ranks below the hit);
    # medium the box seen at 0.3 (a hit for AP, which counts every score); no large objects.
    assert report["ap_by_size"] == {"small": 1.0, "medium": 1.0, "large": None}
    assert report["objects_by_size"] == {"small": 1, "medium": 1, "large": 0}
    assert (SMALL_MAX_AREA, LARGE_MIN_AREA) == (1024, 9216)

    assert report["false_positive_total"] == 1 and report["miss_total"] == 1
    (fp,) = report["false_positives"]
    assert fp == {"image_id": 7, "file_name": "part.png", "box": [40.0, 0.0, 55.0, 15.0], "class": "scratch",
                  "score": 0.8, "best_iou": 0.0, "confused_with": None}
    (miss,) = report["misses"]
    assert miss == {"image_id": 7, "file_name": "part.png", "box": [50.0, 50.0, 90.0, 90.0], "class": "scratch",
                    "score": 0.3}
    scratch = report["per_class"][0]
    assert (scratch["gt"], scratch["tp"], scratch["fp"], scratch["fn"]) == (2, 1, 1, 1)
    assert summary["precision"] == 0.5 and summary["recall"] == 0.5
    assert schema.validate("detection", summary, report) == set()


def test_detection_threshold_moves_the_miss_and_a_wrong_class_is_named():
    gt, detections = _one_image_case()
    detections[7].append({"class_id": 1, "score": 0.95, "box": [11, 11, 30, 30]})  # "spot" on the scratch
    _summary, report = detection_report(gt, detections, ["scratch", "spot"], threshold=0.25)
    assert report["miss_total"] == 0
    assert [(f["class"], f["confused_with"]) for f in report["false_positives"]] == [("spot", "scratch"),
                                                                                    ("scratch", None)]
    assert report["per_class"][1]["fp"] == 1


def test_detection_without_any_detection_scores_zero():
    gt, _ = _one_image_case()
    summary, report = detection_report(gt, {}, ["scratch", "spot"])
    assert summary["map50"] == 0.0 and report["miss_total"] == 2 and report["false_positives"] == []
    assert report["ap_by_size"] == {"small": 0.0, "medium": 0.0, "large": None}
    assert [m["score"] for m in report["misses"]] == [0.0, 0.0]
    assert report["misses"][0]["box"] == [50.0, 50.0, 90.0, 90.0]  # the larger blind spot first
    json.dumps(report, allow_nan=False)


def test_binary_ks_and_auc_by_hand():
    # Negatives 0.1 0.2 0.3 0.6, positives 0.25 0.7 0.8 0.9. At 0.7 three positives of four and
    # no negative score at or above it: KS = 0.75 there (0.5 at 0.6 and at 0.25).
    y = [0, 0, 0, 0, 1, 1, 1, 1]
    score = [0.1, 0.2, 0.3, 0.6, 0.25, 0.7, 0.8, 0.9]
    summary, report = binary_report(y, score)
    assert report["ks"]["statistic"] == pytest.approx(0.75)
    assert report["ks"]["threshold"] == pytest.approx(0.7)
    # 14 of the 16 (positive, negative) pairs are ordered right.
    assert report["auc"] == pytest.approx(14 / 16)
    assert summary["gini"] == pytest.approx(2 * 14 / 16 - 1)
    assert report["roc"]["fpr"][0] == 0 and report["roc"]["tpr"][-1] == 1
    assert report["roc"]["thresholds"][0] is None  # sklearn's "above every score"
    assert schema.validate("tabular_classification", summary, report) == set()
    with pytest.raises(ValueError, match="both classes"):
        binary_report([1, 1], [0.2, 0.4])


def test_binary_curve_is_thinned_but_keeps_the_ks_point():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    score = rng.random(5000) + 0.3 * y
    _summary, report = binary_report(y, score, max_points=50)
    assert len(report["roc"]["fpr"]) <= 53
    ks = report["ks"]
    assert any(f == ks["fpr"] and t == ks["tpr"] for f, t in zip(report["roc"]["fpr"], report["roc"]["tpr"]))


def test_regression_residuals_by_hand():
    summary, report = regression_report([1, 2, 3, 4], [1, 2, 3, 8], ids=["a", "b", "c", "d"], bins=4)
    assert summary["rmse"] == 2.0 and summary["mae"] == 1.0
    assert summary["r2"] == pytest.approx(1 - 16 / 5)
    assert summary["bias"] == -1.0
    assert report["worst"][0] == {"id": "d", "actual": 4.0, "predicted": 8.0, "residual": -4.0}
    assert report["histogram"]["counts"] == [1, 0, 0, 3]
    assert report["histogram"]["edges"][0] == -4.0 and report["histogram"]["edges"][-1] == 0.0
    assert schema.validate("regression", summary, report) == set()
    summary, report = regression_report([5, 5, 5], [4, 5, 6])
    assert report["r2"] is None and "r2" not in summary  # a constant target has no R²


def test_forecast_error_by_horizon_by_hand():
    actual = [10, 10, 10, 10, 10, 10]
    forecast = [9, 12, 10, 13, 8, 10]   # blocks of two steps: horizons 1 2 1 2 1 2
    summary, report = forecast_report(actual, forecast, 2, index=[f"t{i}" for i in range(6)])
    h1, h2 = report["by_horizon"]
    assert (h1["horizon"], h1["n"], h1["mae"], h1["bias"], h1["mape"]) == (1, 3, 1.0, 1.0, 0.1)
    assert h1["rmse"] == pytest.approx(math.sqrt(5 / 3), abs=1e-6)
    assert h2["mae"] == pytest.approx(5 / 3, abs=1e-6) and h2["bias"] == pytest.approx(-5 / 3, abs=1e-6)
    assert h2["rmse"] == pytest.approx(math.sqrt(13 / 3), abs=1e-6)
    assert report["series"]["x"] == ["t0", "t1", "t2", "t3", "t4", "t5"]
    assert report["series"]["horizon"] == [1, 2, 1, 2, 1, 2]
    assert summary["mae"] == pytest.approx(8 / 6, abs=1e-6)
    assert schema.validate("forecast", summary, report) == set()
    explicit, _ = forecast_report(actual, forecast, [1, 2, 1, 2, 1, 2])
    assert explicit == summary


def test_forecast_series_is_downsampled():
    n = 5000
    _summary, report = forecast_report(np.arange(n) + 1.0, np.arange(n) + 2.0, 24, max_points=100)
    assert len(report["series"]["x"]) <= 102 and report["series"]["x"][-1] == n - 1
    assert len(report["by_horizon"]) == 24 and report["by_horizon"][0]["bias"] == -1.0


def test_crops_pad_the_box_and_land_in_the_zip(tmp_path):
    image = Image.new("RGB", (200, 100), (40, 40, 40))
    image.paste((250, 250, 250), (90, 40, 110, 60))
    image.save(tmp_path / "part.png")
    assert crops.crop_box((200, 100), [90, 40, 110, 60]) == (78, 28, 122, 72)   # 12 px at least
    assert crops.crop_box((200, 100), [0, 0, 200, 100]) == (0, 0, 200, 100)     # clipped to the image
    rows = [{"file_name": "part.png", "box": [90, 40, 110, 60]}, {"file_name": "gone.png", "box": [0, 0, 5, 5]},
            {"file_name": "part.png", "box": None}]
    written = crops.write_thumbnails(tmp_path / "t.zip", rows, lambda r: tmp_path / r["file_name"], prefix="fp",
                                     colour=crops.COLOURS["fp"])
    assert written == 2
    assert rows[0]["image"] == "fp-0000.jpg" and "image" not in rows[1] and rows[2]["image"] == "fp-0002.jpg"
    with zipfile.ZipFile(tmp_path / "t.zip") as zf:
        assert sorted(zf.namelist()) == ["fp-0000.jpg", "fp-0002.jpg"]
        with zf.open("fp-0000.jpg") as fh:
            thumb = Image.open(fh)
            thumb.load()
    assert max(thumb.size) == crops.THUMB_PX and thumb.format == "JPEG"
    assert schema.check_images(tmp_path / "t.zip", {"fp-0000.jpg"}) == {"fp-0000.jpg", "fp-0002.jpg"}


def test_a_degenerate_or_reversed_box_still_makes_a_thumbnail(tmp_path):
    """An untrained detector gives boxes under a pixel across, or with corners swapped: the
    report keeps them and their crops are drawn, never a failed job."""
    Image.new("RGB", (320, 320), (90, 90, 90)).save(tmp_path / "film.png")
    for box in ([100.0, 100.0, 100.2, 100.1], [150, 160, 140, 150], [5, 5, 5, 5]):
        thumb = crops.thumbnail(Image.open(tmp_path / "film.png"), box, colour=crops.COLOURS["miss"])
        assert max(thumb.size) == crops.THUMB_PX
    assert crops.crop_box((320, 320), [150, 160, 140, 150]) == crops.crop_box((320, 320), [140, 150, 150, 160])
