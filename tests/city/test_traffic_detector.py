"""The vehicle detector end to end: the city trainer and model type are registered, and a tiny
run of city.traffic_pipeline renders and imports the street dataset, trains PicoDet, registers
a model version with lineage to the dataset version, deploys it on cpu-onnxruntime and the
deployment predicts road-user boxes on a rendered frame."""
import cv2
import pytest

from core.platform.verticals import registry


def test_model_type_and_trainer_registered():
    mt = registry["model_types"]["city.vehicle_detector"]
    assert mt.task == "detection" and mt.trainer == "city.traffic_pipeline" and mt.default_backend == "onnxruntime"
    from verticals.city.trainers.traffic_pipeline import traffic_pipeline

    assert registry["trainers"]["city.traffic_pipeline"] is traffic_pipeline


@pytest.mark.slow
def test_traffic_pipeline_trains_registers_deploys_and_predicts(orgs, users):
    from core.data.models import DatasetVersion
    from core.hub.lineage import walk
    from core.hub.models import ModelVersion
    from core.inference.actions.predict import predict
    from core.inference.models import Deployment
    from core.training.actions.jobs import submit_job
    from core.training.actions.runner import run_job
    from verticals.city.lib.synth import traffic as ts

    job = submit_job(trainer="city.traffic_pipeline", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"n_images": 12, "epochs": 1, "seed": 3, "check_seconds": 1})
    assert run_job(job.pk) == "succeeded", job.__class__.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    r = job.result
    dv = DatasetVersion.objects.get(pk=r["dataset_version"])
    assert dv.dataset.name == "street-traffic-synthetic" and dv.num_records == 12
    version = ModelVersion.objects.get(pk=r["model_version"])
    assert version.model.name == "vehicle-detector" and version.model.model_type == "vehicle_detector"
    assert set(r["metrics"]["ap50_per_class"]) == set(ts.CLASSES) and 0 <= r["metrics"]["map50"] <= 1
    assert r["clip_metrics"]["frames"] == 5 and r["clip_metrics"]["objects"] > 0
    nodes, _, _ = walk("model_version", version.pk, depth=3, direction="upstream")
    assert ("dataset_version", dv.pk) in nodes and any(kind == "training_run" for kind, _ in nodes)
    dep = Deployment.objects.get(pk=r["deployment"])
    assert dep.profile == "cpu-onnxruntime" and dep.model_version_id == version.pk

    frame, _ = next(ts.iter_clip(seconds=0.1, fps=10, seed=21))
    ok, buf = cv2.imencode(".jpg", frame)
    result = predict(dep, {"image": buf.tobytes()}, acting_user=users["a_dev"])
    assert result["detections"], "an untrained-looking model still proposes boxes above min_score"
    for d in result["detections"]:
        x1, y1, x2, y2 = d["box"]
        assert d["label"] in ts.CLASSES and x2 > x1 and y2 > y1 and 0 < d["score"] <= 1
