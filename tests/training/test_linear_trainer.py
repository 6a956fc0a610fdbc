import io

import numpy as np
import pytest

from core.data.actions.datasets import add_version, create_dataset
from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model
from core.hub.models import LineageEdge, ModelVersion
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.lib.linear import TableError, fit, read_numeric_csv


def csv_bytes(n=200, seed=1):
    rng = np.random.default_rng(seed)
    t = rng.uniform(-10, 30, n)
    w = rng.uniform(0, 10, n)
    load = 120 - 2.5 * t + 1.5 * w + rng.normal(0, 0.5, n)
    lines = ["temp,wind,load"] + [f"{a:.3f},{b:.3f},{c:.3f}" for a, b, c in zip(t, w, load)]
    return ("\n".join(lines) + "\n").encode()


def test_fit_recovers_coefficients():
    x, y, features = read_numeric_csv(csv_bytes(), "load")
    result = fit(x, y, seed=0)
    assert features == ["temp", "wind"]
    assert result["weights"] == pytest.approx([-2.5, 1.5], abs=0.05)
    assert result["metrics"]["r2"] > 0.99


def test_table_errors_name_the_problem():
    with pytest.raises(TableError, match="target column 'power'"):
        read_numeric_csv(csv_bytes(), "power")
    with pytest.raises(TableError, match="line 3"):
        read_numeric_csv(b"a,b\n1,2\nx,3\n4,5\n", "b")


def test_trainer_job_registers_version_with_data_lineage(users, orgs):
    dev, a = users["a_dev"], orgs["a"]
    art, _ = store_artifact(io.BytesIO(csv_bytes()), filename="load.csv", organisation=orgs["hq"],
                            acting_user=users["hq_dev"])
    ds = create_dataset(name="heat-load", organisation=orgs["hq"], kind="tabular", acting_user=users["hq_dev"])
    dv = add_version(ds, artifact=art, acting_user=users["hq_dev"], num_records=200)
    model = create_model(name="load-baseline", organisation=a, acting_user=dev)
    # HQ's data is not shared with the branch: its developer may not train on it...
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no dataset version"):
        submit_job(trainer="core.linear_regression", organisation=a, acting_user=dev,
                   params={"dataset_version": dv.pk, "target": "load", "model_id": model.pk, "seed": 1})
    # ...but HQ's developer may train the branch's model on it (data flows down the tree).
    job = submit_job(trainer="core.linear_regression", organisation=a, acting_user=users["hq_dev"],
                     params={"dataset_version": dv.pk, "target": "load", "model_id": model.pk, "seed": 1})
    assert run_job(job.pk) == "succeeded"
    job.refresh_from_db()
    mv = ModelVersion.objects.get(pk=job.result["model_version"])
    assert mv.metrics["r2"] > 0.99
    run = job.runs.get()
    assert LineageEdge.objects.filter(src_kind="dataset_version", src_id=dv.pk, dst_kind="training_run",
                                      dst_id=run.pk).exists()


def test_trainer_refuses_a_sibling_branch_dataset(users, orgs):
    from django.core.exceptions import ValidationError

    from core.training.models import Job

    art, _ = store_artifact(io.BytesIO(csv_bytes()), filename="b.csv", organisation=orgs["b"],
                            acting_user=users["b_dev"])
    ds = create_dataset(name="b-data", organisation=orgs["b"], kind="tabular", acting_user=users["b_dev"])
    dv = add_version(ds, artifact=art, acting_user=users["b_dev"])
    with pytest.raises(ValidationError, match="no dataset version"):
        submit_job(trainer="core.linear_regression", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"dataset_version": dv.pk, "target": "load"})
    assert not Job.objects.exists()
    # The worker checks again: a job row that got past submission some other way.
    job = Job.objects.create(trainer="core.linear_regression", organisation=orgs["a"], started_by=users["a_dev"],
                             params={"dataset_version": dv.pk, "target": "load"})
    assert run_job(job.pk) == "failed"
    job.refresh_from_db()
    assert "outside this job's line" in job.error
    assert not LineageEdge.objects.filter(src_kind="dataset_version", src_id=dv.pk).exists()
