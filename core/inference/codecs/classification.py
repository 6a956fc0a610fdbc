"""Image classification: input `image` [1,3,H,W] float32, prepared exactly as for a detector
(the same decoding, size limits, colour order, resize and normalisation: detection.preprocess);
output the class probabilities [1, classes] in the manifest's labels order (or logits, when
the manifest says "output": "logits"). Pure numpy + OpenCV.

Inputs to predict: an image file's bytes, or {"image": bytes}, or {"tensor": nested list}
already preprocessed, or {"frame": BGR array}. Answer: {"label", "score", "top": [{"label",
"score"}, ...] (the `top_k` most probable, 5 unless the deployment's config says), "image":
{"width", "height"}} (no image for a tensor)."""
import hashlib

import numpy as np

from . import Codec, Decoded, Encoded, InputError
from .detection import image_of, preprocess, tensor_inputs

TOP_K = 5


def probabilities(outputs: dict, manifest) -> np.ndarray:
    """The first image's class probabilities from the model's outputs."""
    labels = manifest["labels"]
    found = [v for v in outputs.values() if v.ndim == 2 and v.shape[-1] == len(labels)]
    if not found:
        raise RuntimeError(f"model outputs {[(k, v.shape) for k, v in outputs.items()]} have no "
                           f"[N,{len(labels)}] class scores")
    row = found[0][0].astype(np.float64)
    if manifest.get("output") == "logits":
        row = np.exp(row - row.max())
        row /= row.sum()
    return row


def answer(row, labels, top_k=TOP_K) -> dict:
    order = np.argsort(-row, kind="stable")[:max(1, min(int(top_k), len(labels)))]
    top = [{"label": labels[i], "score": round(float(row[i]), 6)} for i in order]
    return {"label": top[0]["label"], "score": top[0]["score"], "top": top}


class ClassificationCodec(Codec):
    task = "classification"

    def encode(self, inputs, loaded, config):
        if isinstance(inputs, dict) and "tensor" in inputs:
            image = tensor_inputs(inputs["tensor"], loaded.manifest)["image"]
            return Encoded({"image": image}, hashlib.sha256(image.tobytes()).hexdigest())
        found = image_of(inputs)
        if found is None:
            raise InputError("this model is an image classifier: send an image", field="image")
        image, digest = found
        h, w = image.shape[:2]
        return Encoded({"image": preprocess(image, loaded.manifest)["image"]}, digest,
                       {"image": {"width": w, "height": h}})

    def decode(self, outputs, loaded, encoded, config):
        try:
            top_k = int((config or {}).get("top_k", TOP_K))
        except (TypeError, ValueError):
            top_k = TOP_K
        row = probabilities(outputs, loaded.manifest)
        return Decoded({**answer(row, loaded.manifest["labels"], top_k), **encoded.context})
