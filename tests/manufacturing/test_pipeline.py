"""The demo pipeline end to end with tiny settings: synthetic data to dashboard rows."""
import io

import pytest

from core.hub.models import LineageEdge
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from verticals.manufacturing.models import Inspection, Station
from verticals.manufacturing.queries import summary

pytestmark = pytest.mark.slow


def test_separator_pipeline_end_to_end(users, orgs, api):
    job = submit_job(trainer="manufacturing.separator_pipeline", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"n_images": 16, "epochs": 2, "seed": 3, "inspect_images": 4})
    assert run_job(job.pk) == "succeeded", job.__class__.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    station = Station.objects.get(pk=job.result["station"])
    # trained with the small-defect recipe, which the version's params and config record
    version = station.deployment.model_version
    assert version.params["architecture"] == "picodet-s-p2-384" and version.params["presence_target"] == 1.0
    assert version.params["learning_rate"] == 0.05
    assert "strides 4-32" in version.description and "served at 384 px" in version.description
    # the exported model reads the 320 px film upscaled to 384, as the config says
    from core.inference import engine
    from core.inference.profiles import get_profile

    loaded = engine.get_loaded(version, get_profile(station.deployment.profile))
    assert loaded.manifest["input"]["image_shape"] == [1, 3, 384, 384]
    assert station.deployment.profile == "line-station-cpu"
    metrics = job.result["metrics"]
    op, base, guarded = metrics["operating_point"], metrics["baseline"], metrics["guarded"]
    # the classic check was scored on the same parts, and calibrated as a guard on the training split's good ones
    assert base["name"] == "classic flat-field threshold" and base["operating_point"]["parts"] == op["parts"]
    assert base["operating_point"]["met"] and base["operating_point"]["escape_rate"] <= 0.05
    assert guarded["good_parts"] == 3 and guarded["level"] == round(guarded["highest_good"] * 1.1, 4)
    assert guarded["operating_point"]["parts"] == op["parts"] and guarded["operating_point"]["max_escape"] == 0.05
    # the station runs what validation measured: the model with the guard, at that operating point
    assert station.guard_level == guarded["level"] and station.reject_threshold == guarded["operating_point"]["threshold"]
    assert "as guard (level" in job.log_tail
    inspections = list(Inspection.objects.filter(station=station))
    assert len(inspections) == 4 and all(i.truth in ("good", "defective") for i in inspections)
    s = summary(station)
    assert s["parts"] == 4 and s["line"]["reviewed"] == 4
    assert set(s["defects_by_class"]) == {"uncoated", "scratch", "dent", "black_spot", "bright_spot", "wrinkle",
                                          "pinhole", "contrast"}
    # Every verdict traces back to the generated dataset version.
    rec = inspections[0].prediction
    g = api(users["a_viewer"]).get(f"/api/v1/lineage/prediction/{rec.pk}/?direction=upstream&depth=5").json()
    assert f"dataset_version:{job.result['dataset_version']}" in {n["id"] for n in g["nodes"]}
    assert LineageEdge.objects.filter(dst_kind="prediction", dst_id=rec.pk).exists()
    r = api(users["a_viewer"]).get(f"/api/v1/manufacturing/stations/{station.pk}/summary/?hours=2")
    assert r.status_code == 200 and r.json()["parts"] == 4


def test_inspect_api_and_review(users, orgs, api, tiny_detector):
    from core.hub.actions.artifacts import store_file
    from core.hub.actions.registry import create_model, create_version
    from core.inference.actions.deployments import create_deployment
    from verticals.manufacturing.actions.stations import create_station

    bundle, coco = tiny_detector
    dev, a = users["a_dev"], orgs["a"]
    art, _ = store_file(bundle, organisation=a, acting_user=dev)
    mv = create_version(create_model(name="m", organisation=a, acting_user=dev), artifact=art, acting_user=dev)
    dep = create_deployment(name="d", organisation=a, model_version=mv, profile="cpu-onnxruntime", acting_user=dev,
                            config={"min_score": 0.0})
    station = create_station(code="s1", name="S1", organisation=a, deployment=dep, acting_user=dev,
                             reject_threshold=0.05)
    image = sorted((coco / "images").iterdir())[1].read_bytes()
    r = api(users["a_operator"]).post(f"/api/v1/manufacturing/stations/{station.pk}/inspect/",
                                      {"image": io.BytesIO(image)}, format="multipart")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["verdict"] in ("pass", "reject") and body["model"]["id"] == mv.pk
    assert all(d["score"] >= 0.05 for d in body["defects"])
    assert (body["verdict"] == "reject") == bool(body["defects"])
    r = api(users["a_operator"]).post(f"/api/v1/manufacturing/inspections/{body['id']}/review/",
                                      {"truth": "good"}, format="json")
    assert r.status_code == 200 and r.json()["truth"] == "good"
    r = api(users["a_viewer"]).post(f"/api/v1/manufacturing/inspections/{body['id']}/review/",
                                    {"truth": "defective"}, format="json")
    assert r.status_code == 403
    r = api(users["a_operator"]).post(f"/api/v1/manufacturing/stations/{station.pk}/inspect/",
                                      {"image": io.BytesIO(b"GIF89a-broken")}, format="multipart")
    assert r.status_code == 400 and Inspection.objects.count() == 1
    r = api(users["a_dev"]).patch(f"/api/v1/manufacturing/stations/{station.pk}/", {"reject_threshold": 1.5},
                                  format="json")
    assert r.status_code == 400 and "between 0 and 1" in r.json()["message"]
    assert api(users["b_dev"]).get(f"/api/v1/manufacturing/stations/{station.pk}/").status_code == 404


def test_contrast_guard_rejects_a_strong_mark_the_model_misses(users, orgs, api, tiny_detector):
    import cv2
    import numpy as np

    from core.hub.actions.artifacts import store_file
    from core.hub.actions.registry import create_model, create_version
    from core.inference.actions.deployments import create_deployment
    from core.platform.models import AuditEvent
    from verticals.manufacturing.lib.classic_qc import part_score
    from verticals.manufacturing.lib.synth.separator import film

    bundle, _ = tiny_detector
    dev, a = users["a_dev"], orgs["a"]
    art, _ = store_file(bundle, organisation=a, acting_user=dev)
    mv = create_version(create_model(name="m", organisation=a, acting_user=dev), artifact=art, acting_user=dev)
    dep = create_deployment(name="d", organisation=a, model_version=mv, profile="cpu-onnxruntime", acting_user=dev)
    clean = np.clip(film(np.random.default_rng(5), 320), 0, 255)
    marked = clean.copy()
    marked[150:153, 200:203] += 90  # a pinhole-like dot far brighter than the film's grain
    images = {name: cv2.imencode(".png", np.repeat(im.astype(np.uint8)[:, :, None], 3, axis=2))[1].tobytes()
              for name, im in (("clean", clean), ("marked", marked))}
    level = round(part_score(cv2.imdecode(np.frombuffer(images["clean"], np.uint8), cv2.IMREAD_COLOR)) * 1.1, 2)
    r = api(dev).post("/api/v1/manufacturing/stations/", {"code": "g1", "name": "G1", "organisation": "plant-a",
                                                          "deployment": dep.pk, "reject_threshold": 0.99,
                                                          "guard_level": level}, format="json")
    assert r.status_code == 201 and r.json()["guard_level"] == level, r.content
    station = r.json()["id"]

    def inspect(name):
        r = api(users["a_operator"]).post(f"/api/v1/manufacturing/stations/{station}/inspect/",
                                          {"image": io.BytesIO(images[name])}, format="multipart")
        assert r.status_code == 201, r.content
        return r.json()

    assert inspect("clean")["verdict"] == "pass"
    # A guarded station decodes the upload once, before the model runs: a non-image is still
    # a 400 with a message, and leaves no prediction or inspection behind.
    from core.inference.models import PredictionRecord

    before = (PredictionRecord.objects.count(), Inspection.objects.count())
    r = api(users["a_operator"]).post(f"/api/v1/manufacturing/stations/{station}/inspect/",
                                      {"image": io.BytesIO(b"%PDF-1.4 not a picture")}, format="multipart")
    assert r.status_code == 400 and "decodable image" in r.json()["message"], r.content
    assert (PredictionRecord.objects.count(), Inspection.objects.count()) == before
    body = inspect("marked")
    marks = [d for d in body["defects"] if d["label"] == "contrast"]
    assert body["verdict"] == "reject" and len(marks) == 1 and body["defect_counts"]["contrast"] == 1
    x1, y1, x2, y2 = marks[0]["box"]
    assert x1 <= 200 and x2 >= 203 and y1 <= 150 and y2 >= 153 and x2 - x1 < 12 and marks[0]["peak"] > level
    assert marks[0]["score"] is None and Inspection.objects.get(pk=body["id"]).guard_level == level

    # A bad level is refused and changes nothing, the threshold sent with it included.
    url = f"/api/v1/manufacturing/stations/{station}/"
    for bad in ({"guard_level": -1}, {"guard_level": 1000}, {"reject_threshold": 0.5, "guard_level": 0}, {}):
        r = api(dev).patch(url, bad, format="json")
        assert r.status_code == 400 and r.json()["message"], (bad, r.content)
    assert Station.objects.get(pk=station).reject_threshold == 0.99
    # A misspelt setting is refused by name, not ignored.
    r = api(dev).patch(url, {"reject_treshold": 0.3}, format="json")
    assert r.status_code == 400 and "cannot change reject_treshold" in r.content.decode(), r.content
    assert api(users["a_operator"]).patch(url, {"guard_level": None}, format="json").status_code == 403
    r = api(dev).patch(url, {"guard_level": None}, format="json")
    assert r.status_code == 200 and r.json()["guard_level"] is None
    assert AuditEvent.objects.filter(action="manufacturing.station.guard").count() == 1
    body = inspect("marked")
    assert body["verdict"] == "pass" and not body["defects"]  # the model alone does not see it at 0.99
