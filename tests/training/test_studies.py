"""Studies through the job runner: trials as jobs, the search's points persisted with
their values, the best registered once with lineage, stopping, a lost worker, and the
refusals that come before anything is queued."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.hub.actions.registry import create_model
from core.hub.models import LineageEdge, ModelVersion
from core.platform.models import AuditEvent
from core.training.actions.reaper import reap_lost_jobs
from core.training.actions.runner import run_job
from core.training.actions.studies import advance, create_study, report_step, stop_study
from core.training.lib import search
from core.training.models import Job, Study, Trial
from core.training.recipes import get_recipe

from .tables import binary_frame, multiclass_frame, regression_frame, table_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    """Trials here run for seconds inside the test's own transaction, where the runner's
    heartbeat thread (another connection) would wait on the job row's lock past the test."""
    settings.JOB_HEARTBEAT_INTERVAL_S = 3600


def run_queued(limit=20):
    """Run queued jobs in submission order, as a worker would, until none is left."""
    ran = []
    while len(ran) < limit and (job := Job.objects.filter(status="queued").order_by("id").first()):
        ran.append(run_job(job.pk))
    return ran


@pytest.fixture
def iris(orgs, users):
    return table_version(multiclass_frame(), organisation=orgs["a"], user=users["a_dev"], name="iris")


@pytest.fixture
def model(orgs, users):
    return create_model(name="automl", organisation=orgs["a"], acting_user=users["a_dev"])


def study_of(dv, user, org, **kw):
    fields = {"recipe": "tabular_classification", "params": {"target": "species"}, "budget_trials": 3}
    return create_study(organisation=org, acting_user=user, dataset_version=dv.pk, **{**fields, **kw})


def test_a_study_runs_to_the_end_and_registers_its_best(iris, model, orgs, users):
    study = study_of(iris, users["a_dev"], orgs["a"], model=model.pk)
    assert study.metric == "accuracy" and study.plan["classes"] == {"setosa": 50, "versicolor": 50, "virginica": 50}
    assert [t.number for t in study.trials.all()] == [0] and Job.objects.get().trainer == "core.trial"
    assert run_queued() == ["succeeded"] * 3
    study.refresh_from_db()
    trials = list(study.trials.all())
    assert [t.number for t in trials] == [0, 1, 2] and study.status == "succeeded"
    recipe = get_recipe("tabular_classification")
    assert trials[0].params == recipe.default_params  # the search always includes the defaults
    assert len({tuple(sorted(t.params.items())) for t in trials}) == 3
    for t in trials:
        assert t.status in ("complete", "pruned") and t.value is not None and t.intermediate
        assert set(t.params) == set(recipe.search_space({})) and t.run is not None
        assert t.job.status == "succeeded" and t.job.result["trial"] == t.number
    complete = [t for t in trials if t.status == "complete"]
    best = max(complete, key=lambda t: (t.value, -t.number))
    assert study.best_trial == best and best.value >= 0.85
    assert study.baseline["model"] == "logistic_regression" and study.baseline["metric"] == "accuracy"
    version = ModelVersion.objects.get(model=model)  # one registration
    assert best.model_version == version and version.artifact == best.artifact
    assert version.metrics["accuracy"] == best.value and version.tags == {"study": str(study.pk), "trial": str(best.number)}
    assert LineageEdge.objects.filter(src_kind="training_run", src_id=best.run_id, dst_kind="model_version",
                                      dst_id=version.pk, relation="produced").exists()
    assert LineageEdge.objects.filter(src_kind="dataset_version", src_id=iris.pk, dst_kind="training_run",
                                      dst_id=best.run_id, relation="input_to").exists()
    actions = list(AuditEvent.objects.filter(object_type="training.study").order_by("seq").values_list("action", flat=True))
    assert actions.count("study.trial") == 3 and actions[0] == "study.create" and actions[-1] == "study.finish"


def test_parallel_trials_are_queued_at_once_and_differ(iris, orgs, users):
    study = study_of(iris, users["a_dev"], orgs["a"], budget_trials=4, parallelism=3)
    trials = list(study.trials.all())
    assert [t.status for t in trials] == ["queued"] * 3 and Job.objects.count() == 3
    assert len({tuple(sorted(t.params.items())) for t in trials}) == 3
    run_queued()
    study.refresh_from_db()
    assert study.status == "succeeded" and study.trials.count() == 4 and study.best_trial is not None
    assert study.target_model is None and study.best_trial.model_version is None  # nothing to register into


def test_stop_keeps_finished_trials_cancels_the_rest_and_registers_the_best(iris, model, orgs, users):
    study = study_of(iris, users["a_dev"], orgs["a"], model=model.pk, budget_trials=6, parallelism=2)
    first = Job.objects.order_by("id").first()
    assert run_job(first.pk) == "succeeded"  # trial 0 ends and queues trial 2 beside trial 1
    study = stop_study(study, acting_user=users["a_dev"])
    trials = {t.number: t for t in study.trials.all()}
    assert study.status == "stopped" and trials[0].status == "complete"
    assert [trials[n].status for n in (1, 2)] == ["cancelled", "cancelled"]
    assert all(t.job.status == ("succeeded" if n == 0 else "cancelled") for n, t in trials.items())
    assert study.best_trial == trials[0] and trials[0].model_version.model == model
    assert run_queued() == []  # nothing left to run; a late message for a cancelled job does nothing
    with pytest.raises(ValidationError, match="already stopped"):
        stop_study(study, acting_user=users["a_dev"])
    assert ModelVersion.objects.filter(model=model).count() == 1


def test_a_trial_whose_worker_died_does_not_leave_the_study_stuck(iris, orgs, users, settings):
    study = study_of(iris, users["a_dev"], orgs["a"], budget_trials=2)
    lost = Trial.objects.get(study=study, number=0)
    stale = timezone.now() - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_S + 5)
    Job.objects.filter(pk=lost.job_id).update(status="running", started_at=stale, heartbeat_at=stale, attempts=1)
    Trial.objects.filter(pk=lost.pk).update(status="running")
    assert reap_lost_jobs() == {lost.job_id: "failed"}
    lost.refresh_from_db()
    assert lost.status == "failed" and "worker lost" in lost.message
    assert study.trials.get(number=1).status == "queued"  # the study went on
    assert run_queued() == ["succeeded"]
    study.refresh_from_db()
    assert study.status == "succeeded" and study.best_trial.number == 1


def test_a_trial_cancelled_before_it_ran_is_settled(iris, orgs, users):
    from core.training.actions.jobs import cancel_job

    study = study_of(iris, users["a_dev"], orgs["a"], budget_trials=1)
    cancel_job(study.trials.get().job, acting_user=users["a_dev"])
    reap_lost_jobs()
    study.refresh_from_db()
    assert study.status == "failed" and study.message == "no trial completed"
    assert study.trials.get().status == "failed"


def test_the_time_budget_ends_the_study(iris, orgs, users):
    study = study_of(iris, users["a_dev"], orgs["a"], budget_trials=None, budget_seconds=60)
    assert study.budget_trials >= 1 and study.trials.count() == 1
    Study.objects.filter(pk=study.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert run_queued() == ["succeeded"]  # the trial in flight finishes, no next one starts
    study.refresh_from_db()
    assert study.status == "succeeded" and study.trials.count() == 1


def test_a_trial_behind_the_median_is_pruned(orgs, users):
    dv = table_version(regression_frame(), organisation=orgs["a"], user=users["a_dev"], name="diabetes")
    study = study_of(dv, users["a_dev"], orgs["a"], recipe="tabular_regression", params={"target": "target"},
                     budget_trials=5)
    curve = {"10": 50.0, "20": 48.0, "30": 47.0}
    for number in (1, 2):  # two complete trials, as finished jobs leave them
        job = Job.objects.create(trainer="core.trial", organisation=orgs["a"], status="succeeded")
        Trial.objects.create(study=study, number=number, params=study.trials.get(number=0).params, job=job,
                             status="complete", value=47.0, intermediate=curve)
    trial = study.trials.get(number=0)
    Trial.objects.filter(pk=trial.pk).update(status="running")
    trial.refresh_from_db()
    assert report_step(trial, 10, 70.0) is None  # within the warm-up: never pruned there
    assert report_step(trial, 30, 70.0) == "pruned"  # worse than the median at step 30 (RMSE: lower is better)
    assert trial.intermediate == {"10": 70.0, "30": 70.0}
    assert report_step(trial, 30, 40.0) is None


def test_the_search_proposes_from_the_records_alone():
    space = get_recipe("tabular_regression").search_space({})
    done = [{"number": 0, "params": get_recipe("tabular_regression").default_params, "status": "complete",
             "value": 50.0, "intermediate": {"10": 55.0}}]
    first = search.next_params(done, space, "minimize", seed=4)
    assert first == search.next_params(done, space, "minimize", seed=4)  # same records, same proposal
    assert all(search.contains(space, k, v) for k, v in first.items())
    with pytest.raises(search.SpaceError, match="type must be one of"):
        search.check_space({"x": {"type": "bool"}})


def test_advance_after_the_end_does_nothing(iris, orgs, users):
    study = study_of(iris, users["a_dev"], orgs["a"], budget_trials=1)
    run_queued()
    assert advance(study.pk).status == "succeeded" and study.trials.count() == 1


# -- the API


def test_api_creates_lists_shows_and_stops(api, iris, model, orgs, users):
    client = api(users["a_dev"])
    r = client.post("/api/v1/studies/", {"organisation": "plant-a", "recipe": "tabular_classification",
                                         "dataset_version": iris.pk, "model": model.pk, "params": {"target": "species"},
                                         "budget_trials": 4, "parallelism": 2}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "running" and [t["status"] for t in body["trials"]] == ["queued", "queued"]
    assert body["metric"] == "accuracy" and body["model"] == model.pk
    run_job(Job.objects.order_by("id").first().pk)
    shown = client.get(f"/api/v1/studies/{body['id']}/").json()
    assert shown["leaderboard"] == [0] and shown["trials"][0]["value"] is not None
    assert [s["id"] for s in client.get("/api/v1/studies/").json()["results"]] == [body["id"]]
    assert api(users["b_dev"]).get(f"/api/v1/studies/{body['id']}/").status_code == 404
    stopped = client.post(f"/api/v1/studies/{body['id']}/stop/").json()
    assert stopped["status"] == "stopped" and stopped["best_trial"] == 0 and stopped["model_version"]
    again = client.post(f"/api/v1/studies/{body['id']}/stop/")
    assert again.status_code == 400 and "already stopped" in again.json()["message"]


def test_api_lists_recipes(api, users):
    recipes = {r["name"]: r for r in api(users["a_viewer"]).get("/api/v1/recipes/").json()["results"]}
    assert recipes["tabular_regression"]["metric"] == "rmse" and recipes["tabular_regression"]["direction"] == "minimize"
    assert recipes["tabular_classification"]["dataset_kind"] == "tabular"
    assert recipes["tabular_classification"]["search_space"]["max_leaf_nodes"] == {"type": "int", "low": 8, "high": 64}


@pytest.mark.parametrize("change, field, words", [
    ({"recipe": "deep_magic"}, "recipe", "no recipe named 'deep_magic'"),
    ({"budget_trials": 0}, "budget_trials", "budget_trials must be from 1 to"),
    ({"budget_trials": None}, "budget_trials", "give a budget"),
    ({"budget_seconds": 0}, "budget_seconds", "budget_seconds must be from 1 to"),
    ({"parallelism": 0}, "parallelism", "parallelism must be from 1 to"),
    ({"params": {}}, "params", "target: name the column to predict"),
    ({"params": {"target": "colour"}}, "params", "column 'colour' is not in the table"),
    ({"dataset_version": "pictures"}, "dataset_version",
     "is detection; the tabular_classification recipe trains on tabular datasets"),
    ({"dataset_version": "sibling"}, "dataset_version", "no dataset version"),
    ({"model": "sibling"}, "model", "no model"),
    ({"budget_trials": 21}, "budget_trials", "over Plant A's quota of 30 trials in running studies: they hold 10"),
])
def test_api_refuses_bad_studies_before_queueing_anything(api, iris, orgs, users, settings, change, field, words):
    settings.STUDY_TRIAL_QUOTA_PER_ORGANISATION = 30
    running = Study.objects.create(organisation=orgs["a"], recipe="tabular_classification", dataset_version=iris,
                                   metric="accuracy", direction="maximize", budget_trials=10)
    objects = {
        "pictures": lambda: table_version(binary_frame(), organisation=orgs["a"], user=users["a_dev"], name="pictures",
                                          kind="detection").pk,
        "sibling": lambda: (table_version(binary_frame(), organisation=orgs["b"], user=users["b_dev"], name="b").pk
                            if field == "dataset_version" else
                            create_model(name="b-model", organisation=orgs["b"], acting_user=users["b_dev"]).pk),
    }
    change = {k: (objects[v]() if isinstance(v, str) and v in objects else v) for k, v in change.items()}
    body = {"organisation": "plant-a", "recipe": "tabular_classification", "dataset_version": iris.pk,
            "params": {"target": "species"}, "budget_trials": 3, **change}
    jobs, events = Job.objects.count(), AuditEvent.objects.count()
    r = api(users["a_dev"]).post("/api/v1/studies/", body, format="json")
    assert r.status_code == 400, r.content
    assert words in r.json()["message"] and field in r.json()["errors"]
    assert Job.objects.count() == jobs and list(Study.objects.all()) == [running]
    assert AuditEvent.objects.count() == events  # nothing happened, so nothing to audit


def test_only_developers_start_studies(api, iris, users):
    r = api(users["a_viewer"]).post("/api/v1/studies/", {"organisation": "plant-a", "recipe": "tabular_classification",
                                                         "dataset_version": iris.pk, "params": {"target": "species"},
                                                         "budget_trials": 1}, format="json")
    assert r.status_code == 403 and not Study.objects.exists()


def test_a_vertical_s_recipe_runs_as_a_study(iris, orgs, users):
    from core.platform.verticals import registry

    assert registry["recipes"]["dummy.least_squares"].task == "regression"
    study = study_of(iris, users["a_dev"], orgs["a"], recipe="dummy.least_squares", params={}, budget_trials=3)
    assert study.metric == "mse" and study.direction == "minimize"
    assert run_queued() == ["succeeded"] * 3
    study.refresh_from_db()
    best = min((t for t in study.trials.all() if t.status == "complete"), key=lambda t: t.value)
    assert study.status == "succeeded" and study.best_trial == best and study.baseline == {}


def test_trial_jobs_come_only_from_studies(api, iris, users):
    r = api(users["a_dev"]).post("/api/v1/jobs/", {"trainer": "core.trial", "organisation": "plant-a",
                                                   "params": {"study": 999, "dataset_version": iris.pk}}, format="json")
    assert r.status_code == 400 and "queued by a running study" in r.json()["message"]
    assert not Job.objects.exists()
