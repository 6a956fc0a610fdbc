"""One-click publish from a version's page: the deploy form offers only the profiles that can
serve the bundle here, the deployment is tried at once on a sample, and who may do what."""
import json

import pytest

from core.inference.models import Deployment, PredictionRecord
from core.training.actions.studies import create_study
from core.training.models import Job

from ..training.tables import binary_frame, table_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    settings.JOB_HEARTBEAT_INTERVAL_S = 3600


@pytest.fixture
def version(orgs, users):
    from core.hub.actions.registry import create_model
    from core.training.actions.runner import run_job

    dev, org = users["a_dev"], orgs["a"]
    dv = table_version(binary_frame(), organisation=org, user=dev)
    model = create_model(name="diagnosis", organisation=org, acting_user=dev)
    study = create_study(organisation=org, acting_user=dev, recipe="tabular_classification", dataset_version=dv.pk,
                         params={"target": "diagnosis", "max_iter": 30}, model=model.pk, budget_trials=1)
    assert run_job(Job.objects.get().pk) == "succeeded"
    study.refresh_from_db()
    return study.best_trial.model_version


def test_deploy_offers_what_fits_and_the_try_page_answers(client, version, users, orgs):
    client.force_login(users["a_dev"])
    page = client.get(f"/hub/versions/{version.pk}/").content.decode()
    assert 'id="deploy-form"' in page and '<option value="cpu-trees">' in page
    assert 'value="cpu-onnxruntime"' not in page and 'value="gpu-tensorrt"' not in page
    wrong = client.post(f"/hub/versions/{version.pk}/deploy/", {"profile": "cpu-onnxruntime", "name": "d1",
                                                                 "organisation": orgs["a"].pk})
    assert wrong.status_code == 302 and not Deployment.objects.exists()
    done = client.post(f"/hub/versions/{version.pk}/deploy/", {"profile": "cpu-trees", "name": "diagnosis-v1",
                                                                "organisation": orgs["a"].pk})
    dep = Deployment.objects.get()
    assert done["Location"] == f"/hub/deployments/{dep.pk}/try/" and dep.profile == "cpu-trees"
    form = client.get(done["Location"]).content.decode()
    assert 'name="sample"' in form and "records" in form
    record = json.loads(binary_frame().drop(columns="diagnosis").head(1).to_json(orient="records"))[0]
    answer = client.post(done["Location"], {"sample": json.dumps({"records": [record]})})
    body = answer.content.decode()
    assert answer.status_code == 200 and ("benign" in body or "malignant" in body)
    assert PredictionRecord.objects.filter(deployment=dep).count() == 1
    for sample, said in (("{not json", "not JSON"), ("[1]", "send a JSON object"),
                         (json.dumps({"records": [{**record, "colour": "red"}]}), "unknown column")):
        refused = client.post(done["Location"], {"sample": sample})
        assert refused.status_code == 400 and said in refused.content.decode()
    assert PredictionRecord.objects.filter(deployment=dep).count() == 1


def test_only_developers_who_see_the_version_deploy_it(client, version, users, orgs):
    client.force_login(users["a_viewer"])
    assert 'id="deploy-form"' not in client.get(f"/hub/versions/{version.pk}/").content.decode()
    client.post(f"/hub/versions/{version.pk}/deploy/", {"profile": "cpu-trees", "name": "x",
                                                         "organisation": orgs["a"].pk})
    assert not Deployment.objects.exists()
    client.logout()
    client.force_login(users["b_dev"])
    assert client.get(f"/hub/versions/{version.pk}/").status_code == 404
    assert client.post(f"/hub/versions/{version.pk}/deploy/", {"profile": "cpu-trees", "name": "x",
                                                                "organisation": orgs["b"].pk}).status_code == 404
    assert not Deployment.objects.exists()
