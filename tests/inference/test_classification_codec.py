"""The classification codec: an image in, prepared as for a detector (the same decoding, size
limits and normalisation), the model's class probabilities out as the top label and the top
five. The trained model on both CPU profiles: tests/training/test_image_classification.py."""
import io
import threading

import numpy as np
import pytest
from PIL import Image

from core.inference.codecs import InputError, codec_for
from core.inference.codecs.classification import ClassificationCodec, answer
from core.inference.codecs.detection import preprocess
from core.inference.engine import Loaded
from core.inference.profiles import get_profile

LABELS = ["ok", "dent", "scratch", "stain", "burr", "crack"]
MANIFEST = {"task": "classification", "labels": LABELS,
            "input": {"image_shape": [1, 3, 24, 24], "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                      "color": "RGB"}}


class Model:
    """Answers fixed scores and keeps what it was given."""

    def __init__(self, scores):
        self.scores = np.asarray([scores], dtype=np.float32)
        self.seen = []

    def run(self, inputs):
        self.seen.append(inputs)
        return {"softmax_0.tmp_0": self.scores}

    def close(self):
        pass


def loaded(scores, manifest=MANIFEST):
    return Loaded(model=Model(scores), manifest=manifest, profile=get_profile("cpu-onnxruntime"), sha256="0" * 64,
                  lock=threading.Lock(), load_ms=0.0)


def png(width, height, colour=(200, 30, 30)):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, format="PNG")
    return buf.getvalue()


def serve(model, inputs, config=None):
    codec = ClassificationCodec()
    encoded = codec.encode(inputs, model, config or {})
    return encoded, codec.decode(model.model.run(encoded.inputs), model, encoded, config or {})


def test_the_task_finds_this_codec():
    assert isinstance(codec_for(loaded([1.0] + [0.0] * 5)), ClassificationCodec)


def test_an_image_becomes_the_detectors_tensor_and_the_scores_the_top_five():
    model = loaded([0.05, 0.6, 0.02, 0.3, 0.01, 0.02])
    encoded, decoded = serve(model, png(40, 30))
    tensor = encoded.inputs["image"]
    assert set(encoded.inputs) == {"image"} and tensor.shape == (1, 3, 24, 24) and tensor.dtype == np.float32
    from core.inference.backends.opencv import images

    assert np.array_equal(tensor, preprocess(images.decode_bgr(png(40, 30)), MANIFEST)["image"])
    # red in RGB order: the first channel is the brightest after normalisation
    assert tensor[0, 0].mean() > tensor[0, 1].mean() and tensor[0, 0].mean() > tensor[0, 2].mean()
    body = decoded.answer
    assert body["label"] == "dent" and body["score"] == pytest.approx(0.6, abs=1e-6)
    assert [t["label"] for t in body["top"]] == ["dent", "stain", "ok", "scratch", "crack"]
    assert body["image"] == {"width": 40, "height": 30} and decoded.recorded == body
    assert encoded.sha256 == serve(model, {"image": png(40, 30)})[0].sha256


def test_top_k_from_the_deployment_and_logits_from_the_manifest():
    _, decoded = serve(loaded([0.1, 0.2, 0.7, 0.0, 0.0, 0.0]), png(16, 16), {"top_k": 2})
    assert [t["label"] for t in decoded.answer["top"]] == ["scratch", "dent"]
    logits = loaded([2.0, 0.0, 0.0, 0.0, 0.0, 0.0], {**MANIFEST, "output": "logits"})
    _, decoded = serve(logits, png(16, 16))
    assert decoded.answer["label"] == "ok"
    assert decoded.answer["score"] == pytest.approx(np.exp(2) / (np.exp(2) + 5), abs=1e-5)
    assert answer(np.array([0.2, 0.8]), ["a", "b"], top_k=10)["top"] == [{"label": "b", "score": 0.8},
                                                                           {"label": "a", "score": 0.2}]


def test_a_preprocessed_tensor_is_taken_when_it_has_the_models_shape():
    model = loaded([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    encoded, decoded = serve(model, {"tensor": np.zeros((1, 3, 24, 24)).tolist()})
    assert decoded.answer["label"] == "crack" and "image" not in decoded.answer
    assert set(encoded.inputs) == {"image"}
    with pytest.raises(InputError, match=r"tensor shape \[1, 3, 8, 8\] does not match the model input"):
        serve(model, {"tensor": np.zeros((1, 3, 8, 8)).tolist()})


@pytest.mark.parametrize("inputs, message", [
    (b"", "empty upload"),
    (b"not an image at all", "not a decodable image"),
    (png(4, 40), "outside the accepted 8..8192 px per side"),
    ({"text": "hello"}, "image classifier: send an image"),
])
def test_bad_inputs_are_refused_before_the_model_runs(inputs, message):
    model = loaded([1.0] + [0.0] * 5)
    with pytest.raises(InputError, match=message):
        serve(model, inputs)
    assert model.model.seen == []


def test_outputs_without_class_scores_are_a_model_fault_not_an_input_error():
    model = loaded([0.5, 0.5])  # two scores for six labels
    with pytest.raises(RuntimeError, match=r"have no \[N,6\] class scores"):
        serve(model, png(16, 16))
