"""One predict path: the codec is chosen by the model's manifest task (a backend's own codec
first), bad inputs are 400s before anything runs, and each call is recorded once."""
import json

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.hub.models import LineageEdge
from core.inference.actions.deployments import create_deployment
from core.inference.actions.predict import predict, serving_model
from core.inference.codecs import Codec, InputError, NamedInputs, check_codec, codec_for
from core.inference.codecs.detection import DetectionCodec
from core.inference.lib.bundle import write_bundle
from core.inference.models import PredictionRecord
from core.platform.verticals import register_codec, registry


def _deployment(tmp_path, org, user, task):
    w = tmp_path / "w.json"
    w.write_text(json.dumps({"weights": [2.0, -1.0]}))
    bundle = write_bundle(tmp_path / "m.zip", {"task": task, "labels": [], "files": {"numpy": "w.json"}}, {"w.json": w})
    artifact, _ = store_file(bundle, filename="m.zip", organisation=org, acting_user=user)
    version = create_version(create_model(name="lin", organisation=org, acting_user=user), artifact=artifact,
                             acting_user=user)
    return create_deployment(name="lin", organisation=org, model_version=version, profile="dummy-cpu-numpy",
                             acting_user=user)


def test_codecs_are_chosen_by_task_then_backend(db, tmp_path, orgs, users):
    dep = _deployment(tmp_path, orgs["a"], users["a_dev"], "regression")
    loaded = serving_model(dep, users["a_dev"])
    assert isinstance(codec_for(loaded), NamedInputs)  # nobody registered "regression"
    assert isinstance(registry["codecs"]["detection"], DetectionCodec)
    assert type(registry["codecs"]["detection/cv-motion"]).__name__ == "MotionCodec"
    assert {"scorecard", "load_forecast"} <= set(registry["codecs"])


def test_the_registry_refuses_what_is_not_a_codec():
    assert "not a Codec" in check_codec("x", object())
    assert "is for 'detection'" in check_codec("x", DetectionCodec())
    with pytest.raises(ImproperlyConfigured):
        register_codec("dummy", object())
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.add("codecs", "detection", DetectionCodec())
    assert check_codec("t", type("T", (Codec,), {"task": "t"})()) is None


def test_predict_answers_through_the_codec_and_records_once(db, tmp_path, orgs, users):
    dep = _deployment(tmp_path, orgs["a"], users["a_dev"], "regression")
    body = predict(dep, {"x": [[1.0, 2.0], [3.0, 1.0]]}, acting_user=users["a_dev"])
    assert body["outputs"] == {"y": [0.0, 5.0]} and body["deployment"] == "lin"
    rec = PredictionRecord.objects.get()
    assert rec.pk == body["prediction_id"] and rec.output == {"outputs": {"y": [0.0, 5.0]}}
    assert len(rec.input_sha256) == 64
    assert LineageEdge.objects.filter(relation="served", dst_id=str(rec.pk)).count() == 1


def test_bad_inputs_are_refused_before_the_model_runs_and_nothing_is_recorded(db, tmp_path, orgs, users):
    dep = _deployment(tmp_path, orgs["a"], users["a_dev"], "regression")
    for bad, says in ((b"bytes", "JSON inputs"), ({"z": 1}, "expected inputs x; missing x; unknown z")):
        with pytest.raises(InputError, match=says):
            predict(dep, bad, acting_user=users["a_dev"])
    assert not PredictionRecord.objects.exists()


def test_the_detection_codec_wants_an_image_or_a_tensor(db):
    class Loaded:
        manifest = {"task": "detection", "labels": ["a"], "input": {"image_shape": [1, 3, 8, 8]}}

    codec = DetectionCodec()
    with pytest.raises(InputError, match="send an image"):
        codec.encode({"x": 1}, Loaded, {})
    encoded = codec.encode({"tensor": np.zeros((1, 3, 8, 8)).tolist()}, Loaded, {})
    assert encoded.inputs["image"].shape == (1, 3, 8, 8) and encoded.context == {}
    out = codec.decode({"boxes": np.array([[0, 0.9, 1, 1, 4, 4], [0, 0.01, 1, 1, 2, 2]], np.float32)}, Loaded,
                       encoded, {"min_score": 0.5})
    assert out.answer == out.recorded == {"detections": [{"class_id": 0, "label": "a", "score": 0.9,
                                                           "box": [1.0, 1.0, 4.0, 4.0]}]}
