import io

import pytest

from core.data.actions.datasets import add_version, create_dataset
from core.hub.actions.artifacts import store_artifact
from core.hub.actions.lineage import link
from core.hub.actions.registry import create_model, create_version
from core.inference.actions.deployments import create_deployment, record_prediction
from core.training.models import Job, TrainingRun


@pytest.fixture
def chain(users, orgs):
    """dataset v1 -> run -> model v1 -> deployment -> prediction, plus a sibling run."""
    a, dev = orgs["a"], users["a_dev"]

    def art(content):
        return store_artifact(io.BytesIO(content), filename="f", organisation=a, acting_user=dev)[0]

    ds = create_dataset(name="film", organisation=a, kind="detection", acting_user=dev)
    dv = add_version(ds, artifact=art(b"data"), acting_user=dev, num_records=64)
    job = Job.objects.create(organisation=a, trainer="dummy.least_squares", started_by=dev)
    run = TrainingRun.objects.create(job=job, code_revision="abc", params={}, environment={}, seed=1)
    other_run = TrainingRun.objects.create(job=job, code_revision="abc", params={}, environment={}, seed=2)
    link(dv, run, "input_to")
    link(dv, other_run, "input_to")
    model = create_model(name="det", organisation=a, acting_user=dev)
    mv = create_version(model, artifact=art(b"w"), acting_user=dev, lineage_from=[(run, "produced")])
    dep = create_deployment(name="line-1", organisation=a, model_version=mv, profile="cpu-onnxruntime", acting_user=dev)
    pred = record_prediction(dep, input_sha256="f" * 64, output={"boxes": []}, latency_ms=3.0, acting_user=dev)
    return {"dv": dv, "run": run, "other_run": other_run, "mv": mv, "dep": dep, "pred": pred}


def ids(graph):
    return {n["id"] for n in graph["nodes"]}


def test_prediction_traces_back_to_data(api, users, chain):
    g = api(users["a_viewer"]).get(f"/api/v1/lineage/prediction/{chain['pred'].pk}/?depth=5&direction=upstream").json()
    assert ids(g) == {f"prediction:{chain['pred'].pk}", f"deployment:{chain['dep'].pk}",
                      f"model_version:{chain['mv'].pk}", f"training_run:{chain['run'].pk}",
                      f"dataset_version:{chain['dv'].pk}"}
    rels = {(e["source"].split(":")[0], e["relation"], e["target"].split(":")[0]) for e in g["edges"]}
    assert ("dataset_version", "input_to", "training_run") in rels
    assert ("deployment", "served", "prediction") in rels


def test_both_directions_from_a_version(api, users, chain):
    g = api(users["a_dev"]).get(f"/api/v1/lineage/model_version/{chain['mv'].pk}/").json()
    assert f"dataset_version:{chain['dv'].pk}" in ids(g)
    assert f"prediction:{chain['pred'].pk}" in ids(g)
    # The sibling run is a cousin, not an ancestor or descendant.
    assert f"training_run:{chain['other_run'].pk}" not in ids(g)
    down = api(users["a_dev"]).get(f"/api/v1/lineage/dataset_version/{chain['dv'].pk}/?direction=downstream"
                                   "&depth=2").json()
    assert {f"training_run:{chain['run'].pk}", f"training_run:{chain['other_run'].pk}",
            f"model_version:{chain['mv'].pk}"} <= ids(down)
    assert f"deployment:{chain['dep'].pk}" not in ids(down)  # depth 2 stops before it


def test_lineage_bad_requests(api, users, chain):
    c = api(users["a_dev"])
    assert c.get("/api/v1/lineage/spaceship/1/").status_code == 404
    assert c.get("/api/v1/lineage/model_version/999999/").status_code == 404
    r = c.get(f"/api/v1/lineage/model_version/{chain['mv'].pk}/?depth=50")
    assert r.status_code == 400 and "depth" in r.json()["message"]
    r = c.get(f"/api/v1/lineage/model_version/{chain['mv'].pk}/?direction=sideways")
    assert r.status_code == 400
    assert api(users["b_dev"]).get(f"/api/v1/lineage/model_version/{chain['mv'].pk}/").status_code == 404


def test_hidden_nodes_are_counted_not_shown(api, users, orgs, chain):
    # HQ publishes a model; a branch deploys it. HQ's own dataset stays hidden from the branch.
    hq, dev = orgs["hq"], users["hq_dev"]
    art = store_artifact(io.BytesIO(b"hq-data"), filename="d", organisation=hq, acting_user=dev)[0]
    ds = create_dataset(name="hq-data", organisation=hq, kind="tabular", acting_user=dev)
    dv = add_version(ds, artifact=art, acting_user=dev)
    m = create_model(name="shared", organisation=hq, published=True, acting_user=dev)
    job = Job.objects.create(organisation=hq, trainer="dummy.least_squares")
    run = TrainingRun.objects.create(job=job, code_revision="x", params={}, environment={})
    link(dv, run, "input_to")
    mv = create_version(m, artifact=art, acting_user=dev, lineage_from=[(run, "produced")])
    g = api(users["a_viewer"]).get(f"/api/v1/lineage/model_version/{mv.pk}/").json()
    assert ids(g) == {f"model_version:{mv.pk}"} and g["hidden"] == 2
    g = api(users["hq_auditor"]).get(f"/api/v1/lineage/model_version/{mv.pk}/").json()
    assert len(g["nodes"]) == 3 and g["hidden"] == 0
