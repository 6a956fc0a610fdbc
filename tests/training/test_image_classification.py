"""core.image_classification: a PP-LCNet classifier trained on a class-folder dataset through
the job runner, exported (Paddle PIR + ONNX), evaluated as served, registered with its metrics
and lineage, served on both CPU profiles alike; its inputs refused at the door when they cannot
make a classifier."""
import io
import json
import zipfile

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from core.data.actions.datasets import add_version, create_dataset
from core.data.actions.importers import import_class_folders, import_coco
from core.data.lib import packaging
from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.hub.models import LineageEdge, ModelVersion
from core.hub.storage import get_storage
from core.inference.lib.bundle import write_bundle
from core.platform.verticals import registry
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.lib.image_classes import (
    Item,
    class_counts,
    evaluate,
    problems,
    stratified_split,
    usable_items,
)
from core.training.models import Job
from core.training.presets import PRESET_MODEL_TYPE
from core.training.trainers import image_classification as trainer
from core.training.trainers.classification_bundle import served_probabilities
from tests.classification_fixtures import digits_zip, lcnet_state_dicts
from tests.detection_fixtures import make_coco

TRAINER = "core.image_classification"


def test_usable_items_take_images_with_one_class_and_drop_empty_classes():
    doc = {"categories": [{"id": 1, "name": "ok"}, {"id": 2, "name": "dent"}, {"id": 3, "name": "never"}],
           "images": [{"id": i, "file_name": f"{i}.png"} for i in (1, 2, 3, 4, 5)],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 2}, {"id": 2, "image_id": 2, "category_id": 1},
                           {"id": 3, "image_id": 3, "category_id": 1}, {"id": 4, "image_id": 3, "category_id": 2},
                           {"id": 5, "image_id": 4, "category_id": 1, "bbox": [0, 0, 2, 2]}]}
    labels, items, skipped = usable_items(doc)
    assert labels == ["ok", "dent"] and skipped == 3  # two labels, a box only, no label
    assert items == [Item(1, "1.png", 1), Item(2, "2.png", 0)]
    assert class_counts(labels, items) == {"ok": 1, "dent": 1}
    assert "'dent' has 1, 'ok' has 1" in problems(class_counts(labels, items))[0]
    assert "at least 2 classes; this version has only 'ok'" in problems({"ok": 3, "dent": 0})[0]
    assert problems(class_counts(labels, items * 2)) == []


def test_the_split_is_stratified_deterministic_and_never_empties_a_class():
    items = [Item(i, f"{i}.png", 0 if i < 10 else 1 if i < 13 else 2) for i in range(15)]
    train, val = stratified_split(items, val_fraction=0.25, seed=3)
    assert (train, val) == stratified_split(list(reversed(items)), val_fraction=0.25, seed=3)
    by = lambda part: sorted(it.label for it in part)
    assert by(val) == [0, 0, 1, 2] and by(train) == [0] * 8 + [1, 1, 2]
    assert not {it.image_id for it in train} & {it.image_id for it in val}
    assert stratified_split(items, val_fraction=0.25, seed=4)[1] != val


def test_metrics_by_hand():
    labels = ["a", "b", "c"]
    items = [Item(10, "x", 0), Item(11, "y", 0), Item(12, "z", 1), Item(13, "w", 1)]
    probs = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]
    m = evaluate(labels, items, probs)
    assert m["accuracy"] == 0.5 and m["val_images"] == 4
    assert m["confusion_matrix"] == {"labels": labels, "matrix": [[1, 1, 0], [0, 1, 1], [0, 0, 0]]}
    assert m["per_class"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.66667, "support": 2}
    assert m["per_class"]["b"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    # never predicted rightly, never present: zeros, not NaN
    assert m["per_class"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert m["macro_f1"] == round((0.66667 + 0.5 + 0.0) / 3, 5)
    assert [w["image_id"] for w in m["worst"]] == [11, 13, 10, 12]
    assert m["worst"][0] == {"image_id": 11, "file_name": "y", "true": "a", "predicted": "b", "score": 0.5,
                             "true_score": 0.2}
    assert len(evaluate(labels, items * 5, probs * 5)["worst"]) == 12
    json.dumps(m, allow_nan=False)


def test_params_are_checked():
    ok = trainer.check_params({"dataset_version": 1})
    assert ok["scale"] is None and ok["input_size"] == 96 and ok["pretrained"] == "auto" and ok["flip"] is False
    for params, message in (({}, "dataset_version is required"),
                            ({"epochs": 0}, "epochs=0 is outside 1..500"),
                            ({"epochs": 2.5}, "epochs=2.5 is not a whole number"),
                            ({"input_size": 16}, "input_size=16 is outside 32..448"),
                            ({"scale": 0.3}, "scale=0.3 is not one of 0.25, 0.5, 0.75, 1.0"),
                            ({"optimizer": "sgd"}, "optimizer='sgd' is not one of adamw, momentum"),
                            ({"learning_rate": "fast"}, "learning_rate='fast' is not a number"),
                            ({"weight_decay": 2}, "weight_decay=2 is outside 0.0..1.0"),
                            ({"flip": "maybe"}, "flip='maybe' is not true or false"),
                            ({"epochs": 3, "freeze_backbone_epochs": 4}, "more than the 3 epochs"),
                            ({"pretrained": "imagenet"}, "pretrained='imagenet' is not auto, none"),
                            ({"pretrained_backbone": "/etc/weights.pdparams"}, "not a job parameter")):
        with pytest.raises(ValueError, match=message):
            trainer.check_params({"dataset_version": 1, **params} if params else params)


def _single_class_version(tmp_path, dataset, user):
    """A classification version of one class (an import refuses it; a version cut from a labelling
    project whose accepted images are all of one class is one)."""
    from tests.classification_fixtures import digits_png

    doc = {"images": [{"id": i, "file_name": f"ok/{i}.png", "width": 32, "height": 32} for i in (1, 2, 3)],
           "annotations": [{"id": i, "image_id": i, "category_id": 1} for i in (1, 2, 3)],
           "categories": [{"id": 1, "name": "ok"}]}
    data = digits_png(0)
    path = tmp_path / "one-class.zip"
    packaging.write_canonical_zip(path, doc, lambda _name: io.BytesIO(data))
    artifact, _ = store_file(path, organisation=dataset.organisation, acting_user=user)
    return add_version(dataset, artifact=artifact, acting_user=user, num_records=3, stats={"num_images": 3})


def test_what_cannot_make_a_classifier_is_refused_at_submission(tmp_path, users, orgs, api):
    dev, a = users["a_dev"], orgs["a"]
    det = create_dataset(name="squares", organisation=a, kind="detection", acting_user=dev)
    det_v = import_coco(make_coco(tmp_path / "coco", n=4, size=64), dataset=det, acting_user=dev)
    cls = create_dataset(name="digits", organisation=a, kind="classification", acting_user=dev)
    one_class = _single_class_version(tmp_path, cls, dev)
    few = import_class_folders(digits_zip(tmp_path / "few.zip", digits=(0, 1), per_class=3), dataset=cls,
                               acting_user=dev)
    lonely = import_class_folders(digits_zip(tmp_path / "lonely.zip", digits=(0, 1), per_class=1), dataset=cls,
                                  acting_user=dev)
    cases = {det_v.pk: "of kind 'detection'; image classification trains on a 'classification' dataset",
             one_class.pk: "at least 2 classes; this version has only 'ok'",
             lonely.pk: "at least 2 labelled images (one to train on, one to validate); 'one' has 1, 'zero' has 1"}
    for pk, message in cases.items():
        with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            submit_job(trainer=TRAINER, organisation=a, acting_user=dev, params={"dataset_version": pk})
    r = api(dev).post("/api/v1/jobs/", {"trainer": TRAINER, "organisation": "plant-a",
                                        "params": {"dataset_version": one_class.pk}}, format="json")
    assert r.status_code == 400 and "at least 2 classes" in r.json()["message"], r.content
    r = api(dev).post("/api/v1/jobs/", {"trainer": TRAINER, "organisation": "plant-a",
                                        "params": {"dataset_version": few.pk, "pretrained_backbone": "/tmp/x"}},
                      format="json")
    assert r.status_code == 400 and "not a job parameter" in r.json()["message"], r.content
    assert Job.objects.count() == 0
    job = submit_job(trainer=TRAINER, organisation=a, acting_user=dev, params={"dataset_version": few.pk})
    assert job.status == "queued" and job.queue.endswith("long")


def _preset(tmp_path, org, user, npz, scale):
    manifest = {"task": "backbone", "labels": [], "backbone": {"family": "lcnet", "scale": scale},
                "files": {"weights": "backbone.npz"}}
    bundle = write_bundle(tmp_path / "preset.zip", manifest, {"backbone.npz": npz})
    artifact, _ = store_file(bundle, organisation=org, acting_user=user)
    model = create_model(name="fresh-lcnet", organisation=org, acting_user=user, model_type=PRESET_MODEL_TYPE)
    return create_version(model, artifact=artifact, acting_user=user, params={"family": "lcnet", "scale": scale})


@pytest.fixture
def trusted_trainer():
    """core.image_classification as a Python caller runs it with a weights file of its own."""
    given = {}
    registry["trainers"]["test.given_backbone"] = lambda ctx: trainer.image_classification(
        ctx, pretrained_backbone=given["path"])
    yield given
    del registry["trainers"]["test.given_backbone"]


@pytest.mark.slow
def test_a_classifier_trains_from_a_preset_registers_and_serves_alike_on_both_profiles(
        tmp_path, users, orgs, trusted_trainer):
    dev, a = users["a_dev"], orgs["a"]
    counts = lcnet_state_dicts(tmp_path, {"fresh-x025.npz": 0.25, "fresh-x05.pdparams": 0.5})
    preset = _preset(tmp_path, a, dev, tmp_path / "fresh-x025.npz", 0.25)
    ds = create_dataset(name="digits", organisation=a, kind="classification", acting_user=dev)
    dv = import_class_folders(digits_zip(tmp_path / "digits.zip"), dataset=ds, acting_user=dev)
    model = create_model(name="digits-cls", organisation=a, acting_user=dev)
    job = submit_job(trainer=TRAINER, organisation=a, acting_user=dev,
                     params={"dataset_version": dv.pk, "model_id": model.pk, "pretrained": preset.pk, "epochs": 2,
                             "freeze_backbone_epochs": 1, "batch_size": 8, "input_size": 32, "learning_rate": 0.01,
                             "val_fraction": 0.25, "seed": 1})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    assert f"{counts['fresh-x025.npz']} backbone tensors loaded" in job.log_tail
    assert "epoch 2/2" in job.log_tail and "macro-F1" in job.log_tail
    metrics = job.result["metrics"]
    json.dumps(metrics, allow_nan=False)
    labels = ["one", "two", "zero"]
    assert 0 <= metrics["accuracy"] <= 1 and 0 <= metrics["macro_f1"] <= 1 and metrics["val_images"] == 12
    assert set(metrics["per_class"]) == set(labels) and all(c["support"] == 4 for c in metrics["per_class"].values())
    assert metrics["confusion_matrix"]["labels"] == labels and np.sum(metrics["confusion_matrix"]["matrix"]) == 12
    worst = metrics["worst"]
    assert len(worst) == 12 and [w["true_score"] for w in worst] == sorted(w["true_score"] for w in worst)
    assert {w["true"] for w in worst} == set(labels) and all(w["predicted"] in labels for w in worst)
    assert [h["epoch"] for h in metrics["history"]] == [0, 1] and "val_accuracy" in metrics["history"][0]
    mv = ModelVersion.objects.get(pk=job.result["model_version"])
    assert mv.metrics["confusion_matrix"] == metrics["confusion_matrix"] and mv.params["labels"] == labels
    assert mv.params["pretrained"] == preset.pk and mv.params["scale"] == 0.25
    assert "PP-LCNet x0.25 classifier, 32 px, fine-tuned from preset backbone version" in mv.description
    # the job leaves the version's evaluation record, with the worst images as thumbnails
    from core.hub.models import Evaluation

    evaluation = Evaluation.objects.get(model_version=mv)
    assert evaluation.kind == "classification" and evaluation.dataset_version_id == dv.pk
    assert evaluation.summary["accuracy"] == pytest.approx(metrics["accuracy"], abs=1e-4)
    assert np.sum(evaluation.report["confusion_matrix"]) == 12 and evaluation.images_id
    run = job.runs.get()
    for src in (("dataset_version", dv.pk), ("model_version", preset.pk)):
        assert LineageEdge.objects.filter(src_kind=src[0], src_id=src[1], dst_kind="training_run", dst_id=run.pk,
                                          relation="input_to").exists()
    bundle = get_storage().local_path(mv.artifact_id)
    with zipfile.ZipFile(bundle) as zf:
        names, manifest = set(zf.namelist()), json.loads(zf.read("manifest.json"))
    assert {"paddle/model.json", "paddle/model.pdiparams", "onnx/model.onnx", "train/backbone.npz"} <= names
    assert manifest["task"] == "classification" and manifest["labels"] == labels
    assert manifest["input"]["image_shape"] == [1, 3, 32, 32] and manifest["input"]["color"] == "RGB"

    # the same images through the codec on both profiles: the same classes, probabilities within 1e-3
    from core.data.materialize import materialize

    folder = materialize(dv)
    _, items, _ = usable_items(json.loads((folder / "annotations.json").read_text()))
    served = {p: served_probabilities(bundle, folder, items, profile_name=p)
              for p in ("cpu-onnxruntime", "cpu-paddle")}
    assert np.allclose(served["cpu-onnxruntime"].sum(axis=1), 1.0, atol=1e-4)
    assert (served["cpu-onnxruntime"].argmax(1) == served["cpu-paddle"].argmax(1)).all()
    assert np.abs(served["cpu-onnxruntime"] - served["cpu-paddle"]).max() < 1e-3
    _serve_on_both_profiles(mv, folder, items, labels, a, dev)

    # a weights file from a trusted caller: loaded whole, or refused when it is another width
    trusted_trainer["path"] = str(tmp_path / "fresh-x05.pdparams")
    wrong = submit_job(trainer="test.given_backbone", organisation=a, acting_user=dev,
                       params={"dataset_version": dv.pk, "epochs": 1, "input_size": 32, "scale": 0.25,
                               "pretrained": "none"})
    assert run_job(wrong.pk) == "failed"
    wrong.refresh_from_db()
    assert (f"pretrained backbone refused: the file does not fit PP-LCNet x0.25 ({counts['fresh-x025.npz']} "
            "tensors):") in wrong.error and "tensors of another shape: " in wrong.error
    assert "blocks6.1.pw_conv.conv.weight" in wrong.error or "(the backbone's is [" in wrong.error


def _serve_on_both_profiles(mv, folder, items, labels, org, user):
    from core.inference.actions.deployments import create_deployment
    from core.inference.actions.predict import predict

    image = (folder / "images" / items[0].file_name).read_bytes()
    answers = {}
    for profile in ("cpu-onnxruntime", "cpu-paddle"):
        dep = create_deployment(name=f"digits-{profile}", organisation=org, model_version=mv, profile=profile,
                                acting_user=user)
        answers[profile] = predict(dep, image, acting_user=user)
    onnx, paddle = answers["cpu-onnxruntime"], answers["cpu-paddle"]
    assert onnx["label"] == paddle["label"] and onnx["label"] in labels
    assert [t["label"] for t in onnx["top"]] == [t["label"] for t in paddle["top"]] and len(onnx["top"]) == 3
    assert abs(onnx["score"] - paddle["score"]) < 1e-3 and onnx["score"] == onnx["top"][0]["score"]
    assert onnx["image"] == {"width": 32, "height": 32}
