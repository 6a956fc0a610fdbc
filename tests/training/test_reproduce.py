"""Reproduction: a run re-executed from its recorded inputs gives the same artifact."""
import base64
import io
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.data.actions.datasets import add_version, create_dataset
from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model
from core.hub.evidence import verify_pack
from core.hub.models import ModelVersion
from core.platform import signing
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.models import Job
from tests.training.test_linear_trainer import csv_bytes


@pytest.fixture
def trained(users, orgs):
    dev, a = users["a_dev"], orgs["a"]
    art, _ = store_artifact(io.BytesIO(csv_bytes()), filename="d.csv", organisation=a, acting_user=dev)
    dv = add_version(create_dataset(name="d", organisation=a, kind="tabular", acting_user=dev), artifact=art,
                     acting_user=dev)
    model = create_model(name="lin", organisation=a, acting_user=dev)
    job = submit_job(trainer="core.linear_regression", organisation=a, acting_user=dev,
                     params={"dataset_version": dv.pk, "target": "load", "model_id": model.pk, "seed": 5})
    assert run_job(job.pk) == "succeeded"
    job.refresh_from_db()
    return job


def test_reproduce_gives_same_hash_and_metrics(api, users, trained):
    run = trained.runs.get()
    r = api(users["a_dev"]).post(f"/api/v1/training-runs/{run.pk}/reproduce/")
    assert r.status_code == 201
    repro = Job.objects.get(pk=r.json()["id"])
    assert repro.params["reproduce_of_run"] == run.pk
    pending = api(users["a_viewer"]).get(f"/api/v1/jobs/{repro.pk}/reproduction/").json()
    assert pending["complete"] is False
    assert run_job(repro.pk) == "succeeded"
    rep = api(users["a_viewer"]).get(f"/api/v1/jobs/{repro.pk}/reproduction/").json()
    assert rep["reproduced_exactly"] is True, rep
    assert rep["original"]["sha256"] == rep["reproduced"]["sha256"]
    new = ModelVersion.objects.get(pk=rep["reproduced"]["model_version"])
    assert new.tags == {"reproduction_of_run": run.pk} and "reproduce_of_run" not in repro.runs.get().params


def test_reproduction_detects_a_difference(api, users, trained, monkeypatch):
    run = trained.runs.get()
    repro = Job.objects.get(pk=api(users["a_dev"]).post(f"/api/v1/training-runs/{run.pk}/reproduce/").json()["id"])
    # Different data under the same recorded parameters: what a silently changed input looks like.
    from core.training.lib import linear

    real_fit = linear.fit
    monkeypatch.setattr("core.training.trainers.linear.fit", lambda x, y, seed=0: real_fit(x * 1.01, y, seed=seed))
    assert run_job(repro.pk) == "succeeded"
    rep = api(users["a_viewer"]).get(f"/api/v1/jobs/{repro.pk}/reproduction/").json()
    assert rep["same_artifact"] is False and rep["reproduced_exactly"] is False
    assert "rmse" in rep["metric_differences"] or "r2" in rep["metric_differences"]


def test_only_successful_runs_and_permitted_users(api, users, trained):
    run = trained.runs.get()
    assert api(users["a_viewer"]).post(f"/api/v1/training-runs/{run.pk}/reproduce/").status_code == 403
    assert api(users["hq_auditor"]).post(f"/api/v1/training-runs/{run.pk}/reproduce/").status_code == 403
    assert api(users["b_dev"]).post(f"/api/v1/training-runs/{run.pk}/reproduce/").status_code == 404
    r = api(users["a_dev"]).get(f"/api/v1/jobs/{trained.pk}/reproduction/")
    assert r.status_code == 400 and "not a reproduction" in r.json()["message"]


def test_evidence_pack_is_complete_and_signed(api, users, trained):
    mv = ModelVersion.objects.get(pk=trained.result["model_version"])
    r = api(users["hq_auditor"]).get(f"/api/v1/versions/{mv.pk}/evidence/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    data = r.content
    assert verify_pack(data) == (True, f"intact (signed by key {signing.key_id()})")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        import json

        names = set(zf.namelist())
        assert {"lineage.json", "data.json", "training_runs.json", "approvals.json", "audit_events.json",
                "audit_verification.json", "manifest.json", "manifest.sig", "public_key.pem"} <= names
        data_json = json.loads(zf.read("data.json"))
        assert len(data_json[0]["sha256"]) == 64 and data_json[0]["dataset"] == "d"
        runs = json.loads(zf.read("training_runs.json"))
        assert runs[0]["seed"] == 5 and runs[0]["code_revision"] and runs[0]["environment"]["packages"]
        assert json.loads(zf.read("audit_verification.json"))["intact"] is True
        actions = {e["action"] for e in json.loads(zf.read("audit_events.json"))}
        assert {"model.create", "model_version.create", "dataset_version.create", "job.submit"} <= actions
    # Any change to a file breaks the pack's verification.
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "training_runs.json":
                body = body.replace(b'"seed": 5', b'"seed": 6')
            dst.writestr(item, body)
    assert verify_pack(tampered.getvalue()) == (False, "training_runs.json was altered")
    # Offline: the published public key is all an auditor needs; a pack re-signed with another key fails.
    published = api(users["hq_auditor"]).get("/api/v1/audit/public-key/").json()["public_key_pem"]
    assert verify_pack(data, public_pem=published) == (True, f"intact (signed by key {signing.key_id(published)})")
    other = Ed25519PrivateKey.generate()
    other_pem = other.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    resigned = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(resigned, "w") as dst:
        for item in src.infolist():
            body = {"manifest.sig": base64.b64encode(other.sign(src.read("manifest.json"))),
                    "public_key.pem": other_pem.encode()}.get(item.filename, src.read(item))
            dst.writestr(item, body)
    assert verify_pack(resigned.getvalue(), public_pem=published) == (
        False, "signed by a different key than the trusted one")
    assert verify_pack(resigned.getvalue(), public_pem=other_pem)[0]
    assert api(users["a_viewer"]).get(f"/api/v1/versions/{mv.pk}/evidence/").status_code == 403
