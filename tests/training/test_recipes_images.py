"""The image recipes (image_classification, detection) as studies search them: refusals before
anything is queued, the preset backbone settled once per study (its width then not searched),
trials as core.trial_long jobs on the long queue, and tiny studies trained end to end through
the job runner to a version that predicts through the engine."""
import numpy as np
import pytest
from django.core.exceptions import ValidationError

from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_class_folders, import_coco
from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.hub.models import ModelVersion
from core.inference.lib.bundle import write_bundle
from core.training.actions.runner import run_job
from core.training.actions.studies import create_study
from core.training.models import Job, Study
from core.training.presets import PRESET_MODEL_TYPE
from core.training.recipes import check_recipe, get_recipe
from core.training.registry import queue_for
from tests.classification_fixtures import digits_zip
from tests.detection_fixtures import make_coco

pytestmark = pytest.mark.django_db

# Trials of a few seconds: 32 px digits, one epoch, from scratch.
TINY = {"pretrained": "none", "input_size": 32, "epochs": 1, "batch_size": 8}


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    """Trials run inside the test's own transaction, where the runner's heartbeat thread
    (another connection) would wait on the job row's lock past the test."""
    settings.JOB_HEARTBEAT_INTERVAL_S = 3600


def run_queued(limit=10):
    ran = []
    while len(ran) < limit and (job := Job.objects.filter(status="queued").order_by("id").first()):
        ran.append(run_job(job.pk))
    return ran


@pytest.fixture
def digits(tmp_path, orgs, users):
    ds = create_dataset(name="digits", organisation=orgs["a"], kind="classification", acting_user=users["a_dev"])
    return import_class_folders(digits_zip(tmp_path / "digits.zip"), dataset=ds, acting_user=users["a_dev"])


def squares(tmp_path, orgs, users, **kw):
    ds = create_dataset(name="squares", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])
    return import_coco(make_coco(tmp_path / "coco", **kw), dataset=ds, acting_user=users["a_dev"])


def study_of(dv, recipe, orgs, users, **kw):
    return create_study(organisation=orgs["a"], acting_user=users["a_dev"], recipe=recipe, dataset_version=dv.pk,
                        **{"budget_trials": 2, **kw})


def test_the_image_recipes_are_registered_long_and_declarative():
    for name, kind in (("image_classification", "classification"), ("detection", "detection")):
        recipe = get_recipe(name)
        assert check_recipe(name, recipe) is None and recipe.long and recipe.dataset_kind == kind
        assert set(recipe.defaults({})) == set(recipe.search_space({}))
    assert queue_for("core.trial_long").endswith("long") and not queue_for("core.trial").endswith("long")
    assert set(get_recipe("detection").search_space({})["architecture"]["choices"]) >= {"picodet-s", "picodet-s-p2"}


def test_each_recipe_refuses_a_dataset_of_another_kind_and_bad_settings_before_anything_is_queued(
        tmp_path, digits, orgs, users, api):
    boxes = squares(tmp_path, orgs, users, n=4, size=64)
    for recipe, dv, kind in (("image_classification", boxes, "detection"), ("detection", digits, "classification")):
        with pytest.raises(ValidationError, match=f"is {kind}; the {recipe} recipe trains on"):
            study_of(dv, recipe, orgs, users)
    for recipe, dv, params, message in (
            ("image_classification", digits, {"input_size": 16}, "input_size=16 is outside 32..448"),
            ("image_classification", digits, {"colour": True}, "unknown setting 'colour'"),
            ("image_classification", digits, {"freeze_backbone_epochs": 6}, "more than the 5 epochs"),
            ("image_classification", digits, {"pretrained": 999999}, "no preset backbone 999999"),
            ("detection", boxes, {"architecture": "yolo"}, "architecture='yolo' is not one of"),
            ("detection", boxes, {"threshold": 2}, "threshold=2 is outside")):
        with pytest.raises(ValidationError, match=message):
            study_of(dv, recipe, orgs, users, params=params)
    r = api(users["a_dev"]).post("/api/v1/studies/", {"organisation": "plant-a", "recipe": "detection",
                                                      "dataset_version": digits.pk, "budget_trials": 1},
                                 format="json")
    assert r.status_code == 400 and "trains on detection datasets" in r.json()["message"], r.content
    assert not Study.objects.exists() and not Job.objects.exists()


def _fake_preset(tmp_path, org, user, scale=1.0):
    """A preset backbone version as the hub holds one (its weights are never loaded here)."""
    np.savez(tmp_path / "backbone.npz", w=np.zeros(1, dtype=np.float32))
    manifest = {"task": "backbone", "labels": [], "backbone": {"family": "lcnet", "scale": scale},
                "files": {"weights": "backbone.npz"}}
    bundle = write_bundle(tmp_path / "preset.zip", manifest, {"backbone.npz": tmp_path / "backbone.npz"})
    artifact, _ = store_file(bundle, organisation=org, acting_user=user)
    model = create_model(name="preset-lcnet", organisation=org, acting_user=user, model_type=PRESET_MODEL_TYPE)
    return create_version(model, artifact=artifact, acting_user=user, params={"family": "lcnet", "scale": scale})


def test_the_preset_is_settled_once_per_study_and_its_width_is_not_searched(tmp_path, digits, orgs, users):
    recipe = get_recipe("image_classification")
    scratch = study_of(digits, "image_classification", orgs, users)  # auto, and no preset yet
    trial = scratch.trials.get()
    assert scratch.params["pretrained"] == "none" and scratch.plan["start"] == "from scratch"
    assert "scale" in trial.params and trial.params == recipe.defaults({"pretrained": "none"})
    assert trial.job.trainer == "core.trial_long" and trial.job.queue == queue_for("core.trial_long")

    preset = _fake_preset(tmp_path, orgs["a"], users["a_dev"])
    tuned = study_of(digits, "image_classification", orgs, users)
    trial = tuned.trials.get()
    assert tuned.params == {"pretrained": preset.pk, "scale": 1.0} and "scale" not in tuned.plan["searched"]
    assert "scale" not in trial.params and trial.params["learning_rate"] == recipe.defaults(tuned.params)[
        "learning_rate"]
    # "auto" with another width asked for: no preset of that width, so from scratch at it
    narrow = study_of(digits, "image_classification", orgs, users, params={"scale": 0.5})
    assert narrow.params == {"pretrained": "none", "scale": 0.5}
    with pytest.raises(ValidationError, match="is PP-LCNet x1.0: leave scale out"):
        study_of(digits, "image_classification", orgs, users, params={"pretrained": preset.pk, "scale": 0.5})


@pytest.mark.slow
def test_an_image_classification_study_trains_on_the_long_queue_to_a_version_served_by_the_engine(
        digits, orgs, users):
    from core.data.materialize import materialize
    from core.inference.actions.deployments import create_deployment
    from core.inference.actions.predict import predict

    dev, a = users["a_dev"], orgs["a"]
    model = create_model(name="digits-automl", organisation=a, acting_user=dev)
    study = study_of(digits, "image_classification", orgs, users, params=TINY, model=model.pk)
    assert set(study.plan["searched"]) == {"learning_rate", "scale", "weight_decay", "flip"}
    assert run_queued() == ["succeeded", "succeeded"]
    study.refresh_from_db()
    trials = list(study.trials.order_by("number"))
    assert study.status == "succeeded" and [t.number for t in trials] == [0, 1]
    assert {t.job.trainer for t in trials} == {"core.trial_long"} and all(t.job.queue.endswith("long") for t in trials)
    for t in trials:
        assert t.status == "complete" and 0 <= t.value <= 1 and list(t.intermediate) == ["1"], t.message
        assert t.metrics["accuracy"] == t.value and len(t.metrics["history"]) == 1
        assert t.metrics["confusion_matrix"]["labels"] == ["one", "two", "zero"]
    assert study.baseline["model"] == "logistic_regression" and 0 <= study.baseline["value"] <= 1
    version = ModelVersion.objects.get(model=model)
    assert study.best_trial.model_version == version and version.artifact == study.best_trial.artifact
    assert version.metrics["baseline_accuracy"] == study.baseline["value"]
    from core.hub.models import Evaluation

    evaluation = Evaluation.objects.get(model_version=version)  # the best trial's, kept with the version
    assert evaluation.kind == "classification" and evaluation.summary["accuracy"] == pytest.approx(
        study.best_trial.value, abs=1e-4)
    assert sum(map(sum, evaluation.report["confusion_matrix"])) == version.metrics["val_images"]
    folder = materialize(digits)
    image = next((folder / "images").rglob("*.png")).read_bytes()
    deployment = create_deployment(name="digits-automl", organisation=a, model_version=version,
                                   profile="cpu-onnxruntime", acting_user=dev)
    answer = predict(deployment, image, acting_user=dev)
    assert answer["label"] in ("one", "two", "zero") and 0 <= answer["score"] <= 1


@pytest.mark.slow
def test_a_detection_study_of_one_trial_completes_with_its_map50(tmp_path, orgs, users):
    dv = squares(tmp_path, orgs, users, n=12)
    study = study_of(dv, "detection", orgs, users, budget_trials=1, params={"epochs": 1, "batch_size": 4})
    assert study.params["pretrained"] == "none" and study.metric == "map50"  # auto, and no preset registered
    assert run_queued() == ["succeeded"]
    study.refresh_from_db()
    trial = study.trials.get()
    assert study.status == "succeeded" and study.best_trial == trial and trial.job.trainer == "core.trial_long"
    assert trial.status == "complete" and 0 <= trial.value <= 1 and trial.value == trial.metrics["map50"]
    assert trial.intermediate == {"1": trial.value} and trial.params == {"learning_rate": 0.1,
                                                                           "architecture": "picodet-s"}
    assert trial.artifact is not None and study.baseline == {}
    assert trial.metrics["evaluation"]["kind"] == "detection" and "pr_curves" in trial.metrics["evaluation"]["report"]


@pytest.fixture
def one_trial():
    """The image_classification recipe's train() in a job of its own, its report() answering
    as a pruning search would: stop after the first epoch."""
    from core.platform.verticals import registry

    def run(ctx):
        recipe = get_recipe("image_classification")
        steps = []

        def report(step, value):
            steps.append([step, value])
            return False

        params = {**recipe.defaults({}), **TINY, "epochs": 3, "batch_size": 2, "seed": 0}
        result = recipe.train(ctx, ctx.dataset_version(), params, report)
        return {"stopped": result.stopped, "steps": steps, "history": result.notes["history"],
                "value": result.value, "bundle": result.bundle.is_file()}

    registry["trainers"]["test.pruned_trial"] = run
    yield
    del registry["trainers"]["test.pruned_trial"]


@pytest.mark.slow
def test_a_trial_that_report_stops_ends_early_with_what_it_reached(digits, orgs, users, one_trial):
    from core.training.actions.jobs import submit_job

    job = submit_job(trainer="test.pruned_trial", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"dataset_version": digits.pk})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).error
    job.refresh_from_db()
    result = job.result
    assert result["stopped"] and result["steps"][0][0] == 1 and len(result["history"]) < 3
    assert 0 <= result["value"] <= 1 and result["bundle"]  # the model as it stood, exported and evaluated
    assert "stopped after epoch" in job.log_tail
