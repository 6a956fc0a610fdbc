"""Drives Debian's Chromium through a model version's evaluation report as an engineer
would: from the version page to the latest evaluation (a classifier's confusion matrix and
worst examples), then an earlier one (a detector's PR curves, AP by size, false positives and
misses as crops), each chart drawn and each thumbnail loaded from the vendored assets and the
evaluation's own zip alone."""
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from PIL import Image

from core.hub.actions.evaluations import record_evaluation
from core.training.lib.crops import write_thumbnails
from core.training.lib.evaluation import classification_report, detection_report
from tests.e2e.conftest import assert_only_local_requests
from tests.ui import scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(base_url + reverse("ui:home"))
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", scene.PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(base_url + reverse("ui:home"))


def _evaluations(world, tmp_path):
    """A detection evaluation, then a classification one, of plant A's version, with their
    thumbnails cut from real images as the trainers' helpers cut them."""
    a, dev = world["a"], world["users"]["a_dev"]
    images = tmp_path / "images"
    images.mkdir()
    for n in range(3):
        image = Image.new("RGB", (160, 120), (230, 230, 230))
        image.paste((40 + 60 * n, 60, 60), (40, 30, 80, 70))
        image.save(images / f"part-{n}.png")
    gt = {"images": [{"id": n, "file_name": f"part-{n}.png"} for n in range(3)],
          "categories": [{"id": 1, "name": "scratch"}, {"id": 2, "name": "spot"}],
          "annotations": [{"id": 1, "image_id": 0, "category_id": 1, "bbox": [40, 30, 40, 40]},
                          {"id": 2, "image_id": 1, "category_id": 2, "bbox": [40, 30, 40, 40]},
                          {"id": 3, "image_id": 2, "category_id": 1, "bbox": [40, 30, 40, 40]}]}
    dets = {0: [{"class_id": 0, "score": 0.92, "box": [41, 31, 80, 70]}],
            1: [{"class_id": 1, "score": 0.81, "box": [40, 30, 79, 71]}, {"class_id": 0, "score": 0.7,
                                                                          "box": [100, 80, 130, 110]}],
            2: [{"class_id": 0, "score": 0.2, "box": [40, 30, 80, 70]}]}
    summary, report = detection_report(gt, dets, ["scratch", "spot"])
    zip_path = tmp_path / "detection.zip"
    def where(row):
        return images / row["file_name"]

    write_thumbnails(zip_path, report["false_positives"], where, prefix="fp", colour=(230, 57, 70))
    write_thumbnails(zip_path, report["misses"], where, prefix="miss", colour=(255, 159, 28))
    detection = record_evaluation(a["version"], kind="detection", dataset_version=a["dataset_version"],
                                  summary=summary, report=report, images=zip_path, split="validation split: 3 images",
                                  acting_user=dev)

    proba = [[0.9, 0.1], [0.3, 0.7], [0.45, 0.55], [0.2, 0.8]]
    summary, report = classification_report([0, 0, 1, 1], None, proba, ["good", "defect"], ids=[0, 1, 2, 3])
    for row in report["worst"]:
        row["file_name"] = f"part-{row['id'] % 3}.png"
    zip_path = tmp_path / "classification.zip"
    write_thumbnails(zip_path, report["worst"], where, prefix="worst")
    classification = record_evaluation(a["version"], kind="classification", dataset_version=a["dataset_version"],
                                       summary=summary, report=report, images=zip_path,
                                       split="validation split: 4 images", acting_user=dev)
    return detection, classification


def _thumbnails_loaded(page, selector):
    return page.evaluate(
        "(sel) => Array.from(document.querySelectorAll(sel + ' img')).map(i => i.complete && i.naturalWidth > 0)",
        selector)


def _wait_thumbnails(page, selector):
    page.wait_for_function(
        "(sel) => { const imgs = document.querySelectorAll(sel + ' img');"
        " return imgs.length > 0 && Array.from(imgs).every(i => i.complete && i.naturalWidth > 0); }",
        arg=selector)


def test_evaluation_report_draws_its_charts_and_thumbnails(live_server, page, screenshot, tmp_path):
    world = scene.build()
    detection, _classification = _evaluations(world, tmp_path)
    a = world["a"]
    sign_in(page, live_server.url, "a_viewer")

    page.goto(live_server.url + reverse("ui:version", args=[a["version"].pk]))
    page.click("#evaluation-report")
    page.wait_for_url(live_server.url + reverse("ui:version_evaluation", args=[a["version"].pk]))

    # The latest record: the classifier's.
    assert "Image classification" in page.inner_text("#evaluation-kind")
    page.wait_for_selector("#confusion-matrix canvas")
    page.wait_for_selector("#confusion-matrix[data-rendered=true]")
    cells = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('confusion-matrix'))"
                          ".getOption().series[0].data.map(c => c.value[3])")
    assert cells == [1, 1, 0, 2]  # good: one right, one called a defect; defect: both right
    _wait_thumbnails(page, "#worst-examples")
    assert len(_thumbnails_loaded(page, "#worst-examples")) == 4
    assert "good → defect" in page.inner_text("#worst-examples")
    screenshot("evaluation-classification")

    # The earlier record, from the history: the detector's.
    page.click(f"#evaluation-history a[href='?evaluation={detection.pk}']")
    page.wait_for_selector("#pr-curves canvas")
    for chart in ("pr-curves", "ap-by-size"):
        page.wait_for_selector(f"#{chart}[data-rendered=true]")
        box = page.locator(f"#{chart} canvas").first.bounding_box()
        assert box["width"] > 200 and box["height"] > 200
    names = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('pr-curves'))"
                          ".getOption().series.map(s => s.name)")
    assert any(n.startswith("scratch (AP") for n in names) and any(n.startswith("spot (AP") for n in names)
    _wait_thumbnails(page, "#false-positives")
    _wait_thumbnails(page, "#misses")
    assert _thumbnails_loaded(page, "#false-positives") == [True]
    assert _thumbnails_loaded(page, "#misses") == [True]
    assert "scratch" in page.inner_text("#misses") and "seen at 0.2" in page.inner_text("#misses")
    screenshot("evaluation-detection")

    assert page.errors == []
    assert_only_local_requests(page)


def test_the_report_reads_in_chinese(live_server, page, tmp_path):
    world = scene.build()
    _evaluations(world, tmp_path)
    sign_in(page, live_server.url, "a_dev")
    page.click("button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    page.goto(live_server.url + reverse("ui:version_evaluation", args=[world["a"]["version"].pk]))
    assert "评估" in page.inner_text("h1")
    page.wait_for_selector("#confusion-matrix[data-rendered=true]")
    assert page.errors == []


def test_two_versions_side_by_side(live_server, page, screenshot, tmp_path):
    from core.hub.actions.registry import create_version

    world = scene.build()
    _evaluations(world, tmp_path)
    a, dev = world["a"], world["users"]["a_dev"]
    v2 = create_version(a["model"], artifact=a["version"].artifact, acting_user=dev)
    summary, report = classification_report([0, 0, 1, 1], [0, 0, 1, 0], None, ["good", "defect"], ids=[0, 1, 2, 3])
    record_evaluation(v2, kind="classification", dataset_version=a["dataset_version"], summary=summary,
                      report=report, acting_user=dev)
    sign_in(page, live_server.url, "a_dev")
    page.goto(live_server.url + reverse("ui:version_evaluation", args=[a["version"].pk]))
    page.click("#compare-candidates a")
    page.wait_for_url(live_server.url + reverse("ui:version_compare", args=[a["version"].pk, v2.pk])
                      + f"?dataset_version={a['dataset_version'].pk}")
    page.wait_for_selector("#compare-classes[data-rendered=true] canvas")
    assert "plant-a-images v1" in page.inner_text("#compare-on")
    bars = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('compare-classes'))"
                         ".getOption().series.map(s => s.name)")
    assert bars == ["plant-a-detector v1", "plant-a-detector v2"]
    # Both called three of four right, in different ways: the same accuracy, other F1 by class.
    assert page.inner_text("#compare-summary tr[data-metric=accuracy]").count("0.75") == 2
    assert page.locator("#compare-per-class tbody tr").count() == 2
    screenshot("evaluation-compare")
    assert page.errors == []
