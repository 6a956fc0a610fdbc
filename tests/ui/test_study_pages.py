"""The model factory's pages with Django's client: the wizard's steps, a refusal that leaves
nothing behind, a study started from the page, its leaderboard and its stop button, and who
may see or start what."""
import pytest

from core.hub.models import RegisteredModel
from core.training.models import Job, Study

from ..training.tables import multiclass_frame, table_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    settings.JOB_HEARTBEAT_INTERVAL_S = 3600


@pytest.fixture
def iris(orgs, users):
    return table_version(multiclass_frame(), organisation=orgs["a"], user=users["a_dev"], name="iris")


def _client(client, user):
    client.force_login(user)
    return client


def run_queued(limit=20):
    from core.training.actions.runner import run_job

    ran = []
    while len(ran) < limit and (job := Job.objects.filter(status="queued").order_by("id").first()):
        ran.append(run_job(job.pk))
    return ran


def test_the_wizard_walks_from_a_version_to_a_plan(client, iris, users):
    c = _client(client, users["a_dev"])
    first = c.get("/studies/new/")
    assert first.status_code == 200 and f'value="{iris.pk}"' in first.content.decode()
    step = c.get(f"/studies/new/?dataset_version={iris.pk}").content.decode()
    assert 'value="tabular_classification"' in step and 'value="tabular_regression"' in step
    plan = c.get(f"/studies/new/?dataset_version={iris.pk}&recipe=tabular_classification").content.decode()
    assert 'id="wizard-space"' in plan and "learning_rate" in plan and "log scale" in plan
    # the target is picked from the table's own columns
    assert '<option value="species"' in plan and '<option value="petal length (cm)"' in plan
    assert 'name="model_name" value="iris-tabular-classification"' in plan


def test_a_refused_study_leaves_no_model_and_queues_nothing(client, iris, users, orgs):
    c = _client(client, users["a_dev"])
    form = {"dataset_version": iris.pk, "recipe": "tabular_classification", "model_name": "iris-model",
            "organisation": orgs["a"].pk, "budget_trials": 3, "budget_minutes": 0, "parallelism": 1}
    missing = c.post("/studies/new/", form)
    assert missing.status_code == 400 and "target: name the column to predict" in missing.content.decode()
    wrong = c.post("/studies/new/", {**form, "target": "colour"})
    assert wrong.status_code == 400 and "column &#x27;colour&#x27; is not in the table" in wrong.content.decode()
    nan = c.post("/studies/new/", {**form, "target": "species", "validation_fraction": "lots"})
    assert nan.status_code == 400 and "is not a number" in nan.content.decode()
    zero = c.post("/studies/new/", {**form, "target": "species", "budget_trials": 0})
    assert zero.status_code == 400
    assert not RegisteredModel.objects.filter(name="iris-model").exists()
    assert not Study.objects.exists() and not Job.objects.exists()


def test_a_study_started_from_the_page_fills_its_leaderboard_and_stops(client, iris, users, orgs):
    c = _client(client, users["a_dev"])
    started = c.post("/studies/new/", {
        "dataset_version": iris.pk, "recipe": "tabular_classification", "target": "species", "max_iter": "40",
        "model_name": "iris-model", "organisation": orgs["a"].pk, "budget_trials": 4, "budget_minutes": 0,
        "parallelism": 1})
    study = Study.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/studies/{study.pk}/"
    assert study.params == {"target": "species", "max_iter": 40} and study.target_model.name == "iris-model"
    assert run_queued(limit=2) == ["succeeded", "succeeded"]
    board = c.get(f"/studies/{study.pk}/").content.decode()
    assert board.count('data-trial="') == 3  # two done, the third queued
    assert 'data-status="complete"' in board and 'data-status="queued"' in board
    assert 'id="study-chart"' in board and 'id="stop-study"' in board and 'data-polling="true"' in board
    assert c.post(f"/studies/{study.pk}/stop/").status_code == 302
    study.refresh_from_db()
    assert study.status == "stopped" and study.best_trial is not None
    board = c.get(f"/studies/{study.pk}/").content.decode()
    assert 'data-polling="false"' in board and 'id="stop-study"' not in board and 'id="study-version"' in board
    assert f"/hub/versions/{study.best_trial.model_version_id}/" in board


def test_who_sees_and_starts_studies(client, iris, users, orgs):
    c = _client(client, users["a_dev"])
    c.post("/studies/new/", {"dataset_version": iris.pk, "recipe": "tabular_classification", "target": "species",
                             "model_name": "iris-model", "organisation": orgs["a"].pk, "budget_trials": 1,
                             "budget_minutes": 0, "parallelism": 1})
    study = Study.objects.get()
    c.logout()
    sibling = _client(client, users["b_dev"])
    assert sibling.get(f"/studies/{study.pk}/").status_code == 404
    assert sibling.post(f"/studies/{study.pk}/stop/").status_code == 404
    assert f"/studies/{study.pk}/" not in sibling.get("/studies/").content.decode()
    # plant B's developer does not see plant A's table in the wizard either
    assert f'value="{iris.pk}"' not in sibling.get("/studies/new/").content.decode()
    sibling.logout()
    viewer = _client(client, users["a_viewer"])
    assert viewer.get(f"/studies/{study.pk}/").status_code == 200
    assert 'id="stop-study"' not in viewer.get(f"/studies/{study.pk}/").content.decode()
    assert viewer.get("/studies/new/").status_code == 404 and 'id="new-study"' not in viewer.get("/studies/").content.decode()
    viewer.post(f"/studies/{study.pk}/stop/")
    study.refresh_from_db()
    assert study.status == "running"
