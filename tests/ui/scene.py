"""A small platform built through the actions, as the pages' tests and the browser
test both need it: HQ -> province -> two sibling branches, each branch with its own
data -> training run -> model version -> deployment chain, and a model HQ publishes."""
import io

from django.utils import timezone

from core.data.actions.datasets import add_version, create_dataset
from core.hub.actions.artifacts import store_artifact
from core.hub.actions.lineage import link
from core.hub.actions.registry import create_model, create_version, request_alias
from core.inference.actions.deployments import create_deployment, record_prediction
from core.platform.actions.organisations import create_organisation, create_user
from core.training.models import Job, TrainingRun

PASSWORD = "correct-horse-battery"


def _artifact(content, org, name):
    artifact, _ = store_artifact(io.BytesIO(content), filename=name, organisation=org, acting_user=None)
    return artifact


def _finished_job(org, user, trainer="dummy.least_squares"):
    """Jobs run in a worker; the pages only read them, so a finished one is written
    directly as the worker would leave it."""
    now = timezone.now()
    job = Job.objects.create(
        organisation=org, trainer=trainer, params={"steps": 20, "seed": 7}, status=Job.Status.SUCCEEDED,
        progress=1.0, message="succeeded", log_tail="12:00:01 started\n12:00:02 [100.0%] step 20/20 loss 0.00010\n",
        result={"final_loss": 0.0001}, attempts=1, worker="worker-1", started_by=user, started_at=now,
        heartbeat_at=now, finished_at=now,
    )
    run = TrainingRun.objects.create(job=job, attempt=1, code_revision="0123abcd", params=job.params,
                                     environment={"python": "3.11"}, seed=7)
    return job, run


def branch_chain(org, user, prefix):
    """dataset version -> training run -> model version -> deployment -> prediction."""
    dataset = create_dataset(name=f"{prefix}-images", organisation=org, kind="detection", acting_user=user)
    dv = add_version(dataset, artifact=_artifact(f"{prefix} data".encode(), org, "data.zip"), acting_user=user,
                     num_records=1200, source="line camera 3")
    job, run = _finished_job(org, user)
    link(dv, run, "input_to")
    model = create_model(name=f"{prefix}-detector", title=f"{prefix.upper()} surface defects", organisation=org,
                         acting_user=user)
    version = create_version(model, artifact=_artifact(f"{prefix} weights".encode(), org, "weights.json"),
                             acting_user=user, metrics={"accuracy": 0.93, "f1": 0.88, "confusion": [[50, 2], [3, 45]]},
                             params={"lr": 0.01, "epochs": 20}, lineage_from=[(run, "produced")])
    deployment = create_deployment(name=f"{prefix}-line-1", organisation=org, model_version=version,
                                   profile="dummy-cpu-numpy", acting_user=user)
    prediction = record_prediction(deployment, input_sha256="ab" * 32, output={"defect": False}, latency_ms=3.2,
                                   acting_user=user)
    return {"dataset": dataset, "dataset_version": dv, "job": job, "run": run, "model": model, "version": version,
            "deployment": deployment, "prediction": prediction}


def build():
    hq = create_organisation(name="Group HQ", code="ui-hq", kind="hq", acting_user=None)
    east = create_organisation(name="East province", code="ui-east", kind="province", parent=hq, acting_user=None)
    plant_a = create_organisation(name="Plant A", code="ui-plant-a", kind="branch", parent=east, acting_user=None)
    plant_b = create_organisation(name="Plant B", code="ui-plant-b", kind="branch", parent=east, acting_user=None)

    def user(name, org, role):
        return create_user(username=name, password=PASSWORD, acting_user=None, organisation=org, role=role)

    users = {
        "a_dev": user("a_dev", plant_a, "developer"),
        "a_viewer": user("a_viewer", plant_a, "viewer"),
        "b_dev": user("b_dev", plant_b, "developer"),
        "hq_dev": user("hq_dev", hq, "developer"),
        "hq_auditor": user("hq_auditor", hq, "auditor"),
        "b_auditor": user("b_auditor", plant_b, "auditor"),
    }
    a = branch_chain(plant_a, users["a_dev"], "plant-a")
    b = branch_chain(plant_b, users["b_dev"], "plant-b")
    request_alias(a["model"], alias="challenger", version=a["version"], acting_user=users["a_dev"])
    request_alias(a["model"], alias="champion", version=a["version"], acting_user=users["a_dev"],
                  reason="beats v0 on the March set")
    shared = create_model(name="hq-shared-ocr", organisation=hq, acting_user=users["hq_dev"], published=True)
    create_version(shared, artifact=_artifact(b"hq ocr", hq, "ocr.onnx"), acting_user=users["hq_dev"],
                   metrics={"cer": 0.031})
    hq_private = create_model(name="hq-private", organisation=hq, acting_user=users["hq_dev"])
    return {"orgs": {"hq": hq, "east": east, "a": plant_a, "b": plant_b}, "users": users, "a": a, "b": b,
            "shared": shared, "hq_private": hq_private}
