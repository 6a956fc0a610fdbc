"""Serving a trained detector through both backends, the predict API and its refusals."""
import io
import json
import os

import numpy as np
import pytest

from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.hub.models import LineageEdge
from core.hub.storage import get_storage
from core.inference import engine
from core.inference.models import PredictionRecord
from core.inference.profiles import get_profile
from core.inference.codecs import detection

pytestmark = pytest.mark.slow


@pytest.fixture
def version(tiny_detector, users, orgs):
    bundle, _ = tiny_detector
    engine.forget_all()
    art, _ = store_file(bundle, organisation=orgs["a"], acting_user=users["a_dev"])
    model = create_model(name="tiny-det", organisation=orgs["a"], acting_user=users["a_dev"])
    return create_version(model, artifact=art, acting_user=users["a_dev"])


@pytest.fixture
def deploy(api, users, version):
    def make(profile="cpu-onnxruntime", name="line-1"):
        # min_score 0: the tiny test model's scores are low, and the API must still return them.
        r = api(users["a_dev"]).post("/api/v1/deployments/", {"name": name, "organisation": "plant-a",
                                                              "model_version": version.pk, "profile": profile,
                                                              "config": {"min_score": 0.0}},
                                     format="json")
        assert r.status_code == 201, r.content
        return r.json()["id"]

    return make


def png_bytes(path):
    return open(path, "rb").read()


def sample_images(tiny_detector, n=4):
    _, data = tiny_detector
    doc = json.loads((data / "annotations.json").read_text())
    with_boxes = sorted({a["image_id"] for a in doc["annotations"]})[:n]
    names = {im["id"]: im["file_name"] for im in doc["images"]}
    return [data / "images" / names[i] for i in with_boxes]


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def test_profiles_report_host_capabilities(api, users):
    profiles = {p["name"]: p for p in api(users["a_viewer"]).get("/api/v1/profiles/").json()["results"]}
    assert profiles["cpu-paddle"]["available"] and profiles["cpu-onnxruntime"]["available"]
    assert not profiles["gpu-tensorrt"]["available"] and "GPU" in profiles["gpu-tensorrt"]["reason"]
    assert not profiles["kunlun-xpu"]["available"] and "XPU" in profiles["kunlun-xpu"]["reason"]


def test_accelerator_profile_is_refused_not_faked(api, users, version):
    for profile in ("gpu-tensorrt", "kunlun-xpu"):
        r = api(users["a_dev"]).post("/api/v1/deployments/", {"name": f"d-{profile}", "organisation": "plant-a",
                                                              "model_version": version.pk, "profile": profile},
                                     format="json")
        assert r.status_code == 400 and "cannot run here" in r.json()["message"], r.content
    r = api(users["a_dev"]).post("/api/v1/deployments/", {"name": "x", "organisation": "plant-a",
                                                          "model_version": version.pk, "profile": "warp-drive"},
                                 format="json")
    assert r.status_code == 400 and "unknown deployment profile" in r.json()["message"]


def test_both_backends_give_the_same_boxes(tiny_detector, version):
    bundle, _ = tiny_detector
    paddle = engine.load_bundle(bundle, version.artifact_id, get_profile("cpu-paddle"))
    ort = engine.load_bundle(bundle, version.artifact_id, get_profile("cpu-onnxruntime"))
    import cv2

    # The tiny model is barely trained, so compare its ten best boxes whatever their score:
    # the two runtimes must agree on the network's output, not on its quality.
    compared = 0
    for path in sample_images(tiny_detector):
        image = cv2.imread(str(path))
        a = detection.postprocess(engine.run(paddle, detection.preprocess(image, paddle.manifest)), paddle.manifest)
        b = detection.postprocess(engine.run(ort, detection.preprocess(image, ort.manifest)), ort.manifest)
        assert abs(len(a) - len(b)) <= 2
        # Exactly equal on the best box; below it, near-tied scores of an untrained model
        # let NMS keep a different one of two overlapping boxes, so match by IoU there.
        assert a[0]["class_id"] == b[0]["class_id"] and np.allclose(a[0]["box"], b[0]["box"], atol=1.0)
        for da in a[:10]:
            match = [db for db in b if db["class_id"] == da["class_id"] and abs(db["score"] - da["score"]) < 2e-3
                     and iou(db["box"], da["box"]) > 0.5]
            assert match, f"no ONNX Runtime box matches the Paddle box {da}"
            compared += 1
    assert compared > 0, "the tiny detector produced no boxes to compare"


def test_predict_api_returns_boxes_and_records_lineage(api, users, deploy, tiny_detector, version):
    dep_id = deploy()
    path = sample_images(tiny_detector, 1)[0]
    r = api(users["a_operator"]).post(f"/api/v1/deployments/{dep_id}/predict/",
                                      {"image": io.BytesIO(png_bytes(path))}, format="multipart")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["model_version"] == {"id": version.pk, "model": "tiny-det", "version": 1}
    assert body["image"] == {"width": 320, "height": 320}
    assert body["detections"] and {"class_id", "label", "score", "box"} <= set(body["detections"][0])
    rec = PredictionRecord.objects.get(pk=body["prediction_id"])
    assert LineageEdge.objects.filter(src_kind="deployment", src_id=dep_id, dst_kind="prediction",
                                      dst_id=rec.pk).exists()
    g = api(users["a_viewer"]).get(f"/api/v1/lineage/prediction/{rec.pk}/?direction=upstream").json()
    assert f"model_version:{version.pk}" in {n["id"] for n in g["nodes"]}


def test_bad_inputs_get_4xx_and_the_deployment_stays_up(api, users, deploy, tiny_detector):
    dep_id = deploy("cpu-paddle", name="line-paddle")
    c = api(users["a_operator"])
    url = f"/api/v1/deployments/{dep_id}/predict/"
    good = png_bytes(sample_images(tiny_detector, 1)[0])
    r = c.post(url, {"image": io.BytesIO(good[: len(good) // 3])}, format="multipart")
    assert r.status_code == 400 and "not a decodable image" in r.json()["message"]
    r = c.post(url, {"image": io.BytesIO(b"%PDF-1.4 this is not an image")}, format="multipart")
    assert r.status_code == 400
    r = c.post(url, {"tensor": np.zeros((1, 3, 64, 64)).tolist()}, format="json")
    assert r.status_code == 400 and "does not match the model input [1, 3, 320, 320]" in r.json()["message"]
    r = c.post(url, {}, format="json")
    assert r.status_code == 400 and "exactly one" in r.json()["message"]
    r = c.post(url, {"tensor": np.zeros((1, 3, 320, 320)).tolist()}, format="json")
    assert r.status_code == 200 and "detections" in r.json()
    r = c.post(url, {"image": io.BytesIO(good)}, format="multipart")
    assert r.status_code == 200
    assert PredictionRecord.objects.filter(deployment_id=dep_id).count() == 2


def test_tampered_model_file_is_refused(api, users, deploy, tiny_detector, version):
    dep_id = deploy()
    path = get_storage().local_path(version.artifact_id)
    original = path.read_bytes()
    os.chmod(path, 0o644)
    path.write_bytes(original[:-10] + b"0123456789")
    try:
        engine.forget_all()
        r = api(users["a_operator"]).post(f"/api/v1/deployments/{dep_id}/predict/",
                                          {"image": io.BytesIO(png_bytes(sample_images(tiny_detector, 1)[0]))},
                                          format="multipart")
        assert r.status_code == 409 and "no longer matches its hash" in r.json()["message"]
        assert PredictionRecord.objects.count() == 0
    finally:
        path.write_bytes(original)
    r = api(users["a_operator"]).post(f"/api/v1/deployments/{dep_id}/predict/",
                                      {"image": io.BytesIO(png_bytes(sample_images(tiny_detector, 1)[0]))},
                                      format="multipart")
    assert r.status_code == 200


def test_who_may_predict(api, users, deploy, tiny_detector):
    dep_id = deploy()
    image = png_bytes(sample_images(tiny_detector, 1)[0])
    url = f"/api/v1/deployments/{dep_id}/predict/"
    assert api(users["a_viewer"]).post(url, {"image": io.BytesIO(image)}, format="multipart").status_code == 403
    assert api(users["b_dev"]).post(url, {"image": io.BytesIO(image)}, format="multipart").status_code == 404
    r = api(users["a_dev"]).post(f"/api/v1/deployments/{dep_id}/status/", {"status": "stopped"}, format="json")
    assert r.status_code == 200
    r = api(users["a_operator"]).post(url, {"image": io.BytesIO(image)}, format="multipart")
    assert r.status_code == 409 and "stopped" in r.json()["message"]


def test_ensure_deployment_keeps_the_one_it_finds(users, orgs, version):
    from core.inference.actions.deployments import ensure_deployment
    from core.inference.models import Deployment
    from core.platform.models import AuditEvent

    def ensure(mv):
        return ensure_deployment(name="line-9", organisation=orgs["a"], model_version=mv,
                                 profile="cpu-onnxruntime", acting_user=users["a_dev"], config={"min_score": 0.2})

    first = ensure(version)
    newer = create_version(version.model, artifact=version.artifact, acting_user=users["a_dev"])
    again = ensure(newer)
    assert again.pk == first.pk and again.model_version_id == version.pk  # retraining does not redeploy
    assert Deployment.objects.filter(organisation=orgs["a"], name="line-9").count() == 1
    assert AuditEvent.objects.filter(action="deployment.create", object_id=str(first.pk)).count() == 1
    assert LineageEdge.objects.filter(relation="deployed_as").count() == 1
