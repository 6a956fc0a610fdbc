"""A version a tabular recipe made is deployable on cpu-trees and answers JSON records
through the one predict path (hash-checked bundle, the tabular codec, a prediction record)."""
import json
import zipfile

import numpy as np
import pytest

from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.inference.actions.deployments import create_deployment
from core.inference.actions.predict import predict
from core.inference.lib import tabular, trees
from core.inference.models import PredictionRecord
from core.platform.rest.exceptions import FieldErrors
from core.training.actions.runner import run_job
from core.training.actions.studies import create_study
from core.training.models import Job
from core.training.recipes import get_recipe

from .tables import (
    FakeContext,
    binary_frame,
    multiclass_frame,
    regression_frame,
    table_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    """Trials here run for seconds inside the test's own transaction, where the runner's
    heartbeat thread (another connection) would wait on the job row's lock past the test."""
    settings.JOB_HEARTBEAT_INTERVAL_S = 3600


def deployed(bundle, org, user, name):
    artifact, _ = store_file(bundle, organisation=org, acting_user=user)
    version = create_version(create_model(name=name, organisation=org, acting_user=user), artifact=artifact,
                             acting_user=user)
    return create_deployment(name=name, organisation=org, model_version=version, profile="cpu-trees", acting_user=user)


def served_model(bundle):
    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read("manifest.json")), json.loads(zf.read("trees.json"))


def test_a_study_s_best_version_predicts_records(orgs, users):
    org, dev = orgs["a"], users["a_dev"]
    frame = binary_frame()
    dv = table_version(frame, organisation=org, user=dev)
    model = create_model(name="diagnosis", organisation=org, acting_user=dev)
    study = create_study(organisation=org, acting_user=dev, recipe="tabular_classification", dataset_version=dv.pk,
                         params={"target": "diagnosis"}, model=model.pk, budget_trials=1)
    assert run_job(Job.objects.get().pk) == "succeeded"
    study.refresh_from_db()
    version = study.best_trial.model_version
    # the best trial's evaluation became the version's evaluation record (ROC, KS)
    from core.hub.models import Evaluation

    evaluation = Evaluation.objects.get(model_version=version)
    assert evaluation.kind == "tabular_classification" and evaluation.dataset_version_id == dv.pk
    assert evaluation.summary["auc"] == pytest.approx(version.metrics["roc_auc"], abs=1e-6)
    assert "evaluation" not in version.metrics and 0 <= evaluation.summary["ks"] <= 1
    dep = create_deployment(name="diagnosis", organisation=org, model_version=version, profile="cpu-trees",
                            acting_user=dev)
    records = json.loads(frame.drop(columns="diagnosis").head(5).to_json(orient="records"))
    one = predict(dep, {"records": records[0]}, acting_user=dev)
    assert one["label"] in ("benign", "malignant") and sum(one["probabilities"].values()) == pytest.approx(1.0)
    assert one["model_version"]["id"] == version.pk
    batch = predict(dep, {"records": records}, acting_user=dev)["results"]
    assert batch[0] == {k: one[k] for k in ("label", "probabilities")}
    truth = frame["diagnosis"].head(5).tolist()
    assert sum(r["label"] == t for r, t in zip(batch, truth)) >= 4
    assert PredictionRecord.objects.filter(deployment=dep).count() == 2
    with pytest.raises(FieldErrors) as refused:
        predict(dep, {"records": [records[0], {**records[1], "colour": "red"}]}, acting_user=dev)
    assert list(refused.value.errors) == ["records[1].colour"] and "unknown column" in str(refused.value)
    with pytest.raises(FieldErrors, match="send a record"):
        predict(dep, {"records": []}, acting_user=dev)
    assert PredictionRecord.objects.filter(deployment=dep).count() == 2  # refused calls are not recorded

    # the same over HTTP: JSON records to the deployment's predict endpoint
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(dev)
    url = f"/api/v1/deployments/{dep.pk}/predict/"
    answer = client.post(url, {"records": records[:2]}, format="json")
    assert answer.status_code == 200 and answer.json()["results"] == batch[:2]
    bad = client.post(url, {"records": [{**records[0], "colour": "red"}]}, format="json")
    assert bad.status_code == 400 and "records[0].colour" in bad.json()["errors"]
    both = client.post(url, {"records": records[:1], "texts": ["a"]}, format="json")
    assert both.status_code == 400 and "exactly one of" in both.json()["message"]
    assert client.post(url, {"future": [{}]}, format="json").status_code == 400
    assert PredictionRecord.objects.filter(deployment=dep).count() == 3


@pytest.mark.parametrize("name, frame, target", [
    ("tabular_classification", multiclass_frame, "species"),
    ("tabular_regression", regression_frame, "target"),
])
def test_served_answers_equal_the_trees(tmp_path, orgs, users, name, frame, target):
    org, dev = orgs["a"], users["a_dev"]
    table = frame()
    dv = table_version(table, organisation=org, user=dev)
    recipe = get_recipe(name)
    result = recipe.train(FakeContext(tmp_path), dv, {**recipe.default_params, "target": target}, lambda s, v: True)
    dep = deployed(result.bundle, org, dev, name.replace("_", "-"))
    manifest, model = served_model(result.bundle)
    rows = table.drop(columns=target).head(8)
    expected = trees.predict(model, tabular.encode_frame(manifest["input"], rows))
    answers = predict(dep, {"records": json.loads(rows.to_json(orient="records"))}, acting_user=dev)["results"]
    if name == "tabular_regression":
        assert np.allclose([a["value"] for a in answers], expected, atol=1e-5)
    else:
        assert [a["label"] for a in answers] == [manifest["labels"][i] for i in expected.argmax(axis=1)]
        assert set(answers[0]["probabilities"]) == {"setosa", "versicolor", "virginica"}


@pytest.mark.parametrize("name, frame, target, kind, headline", [
    ("tabular_classification", binary_frame, "diagnosis", "tabular_classification", "auc"),
    ("tabular_classification", multiclass_frame, "species", "classification", "accuracy"),
    ("tabular_regression", regression_frame, "target", "regression", "rmse"),
])
def test_a_trial_keeps_the_evaluation_the_hub_records(tmp_path, orgs, users, name, frame, target, kind, headline):
    from core.hub.lib.evaluation_schema import validate

    org, dev = orgs["a"], users["a_dev"]
    dv = table_version(frame(), organisation=org, user=dev)
    recipe = get_recipe(name)
    result = recipe.train(FakeContext(tmp_path), dv, {**recipe.default_params, "target": target, "max_iter": 30},
                          lambda s, v: True)
    kept = result.notes["evaluation"]
    assert kept["kind"] == kind and headline in kept["summary"]
    validate(kept["kind"], kept["summary"], kept["report"], kept["split"])  # raises when it does not fit
    if kind == "regression":
        assert kept["summary"]["rmse"] == pytest.approx(result.metrics["rmse"], rel=1e-6)
    elif kind == "classification":
        assert kept["summary"]["accuracy"] == pytest.approx(result.metrics["accuracy"], abs=1e-6)
        assert sum(map(sum, kept["report"]["confusion_matrix"])) == result.metrics["rows_validation"]
    else:
        assert kept["summary"]["auc"] == pytest.approx(result.metrics["roc_auc"], abs=1e-6)
