"""Detection as exported by PaddleDetection: inputs `image` [1,3,H,W] float32 and
`scale_factor` [1,2]; outputs boxes [N,6] (class, score, x1, y1, x2, y2) in the
original image's pixels, and a count. Pure numpy + OpenCV.

Inputs to predict: an image file's bytes, or {"image": bytes} (with "decoded": the same
image already decoded by decode_image, for a caller that needs the pixels too), or
{"tensor": nested list} already preprocessed, or {"frame": BGR array} (a stream's frame).
Answer: {"detections": [...], "image": {"width", "height"}} (no image for a tensor)."""
import hashlib

import numpy as np

from ..backends.opencv import images, transforms
from . import Codec, Decoded, Encoded, InputError

DEFAULT_MEAN = (0.485, 0.456, 0.406)
DEFAULT_STD = (0.229, 0.224, 0.225)
MAX_SIDE = 8192


def decode_image(data: bytes):
    if not data:
        raise InputError("empty upload: expected an image file")
    image = images.decode_bgr(data)
    if image is None:
        raise InputError("the upload is not a decodable image (PNG, JPEG, BMP, TIFF or WebP expected)")
    h, w = image.shape[:2]
    if h < 8 or w < 8 or max(h, w) > MAX_SIDE:
        raise InputError(f"image of {w}x{h} px is outside the accepted 8..{MAX_SIDE} px per side")
    return image


def input_shape(manifest) -> list[int]:
    shape = (manifest.get("input") or {}).get("image_shape")
    if not shape:
        # A model that takes something else (a camera's frame stream, table records).
        raise InputError(f"this {manifest.get('task', '')} model takes no image or tensor input".replace("  ", " "))
    return list(shape)


def preprocess(image_bgr, manifest):
    _, _, th, tw = input_shape(manifest)
    h, w = image_bgr.shape[:2]
    rgb = transforms.bgr_to_rgb(image_bgr)
    resized = transforms.resize(rgb, (tw, th), interpolation="cubic").astype(np.float32) / 255.0
    mean = np.asarray(manifest["input"].get("mean", DEFAULT_MEAN), dtype=np.float32)
    std = np.asarray(manifest["input"].get("std", DEFAULT_STD), dtype=np.float32)
    chw = ((resized - mean) / std).transpose(2, 0, 1)[None]
    scale = np.asarray([[th / h, tw / w]], dtype=np.float32)
    return {"image": np.ascontiguousarray(chw, dtype=np.float32), "scale_factor": scale}


def tensor_inputs(tensor, manifest):
    """A caller-supplied preprocessed tensor; its shape must be the model's."""
    expected = input_shape(manifest)
    try:
        array = np.asarray(tensor, dtype=np.float32)
    except (TypeError, ValueError):
        raise InputError("tensor must be a nested list of numbers") from None
    if list(array.shape) != expected:
        raise InputError(f"tensor shape {list(array.shape)} does not match the model input {expected}")
    if not np.isfinite(array).all():
        raise InputError("tensor contains NaN or infinite values")
    return {"image": array, "scale_factor": np.ones((1, 2), dtype=np.float32)}


def postprocess(outputs: dict, manifest, *, min_score=0.0):
    boxes = None
    for value in outputs.values():
        if value.ndim == 2 and value.shape[-1] == 6:
            boxes = value
    if boxes is None:
        raise RuntimeError(f"model outputs {[(k, v.shape) for k, v in outputs.items()]} have no [N,6] boxes")
    labels = manifest["labels"]
    out = []
    for cls, score, x1, y1, x2, y2 in boxes.tolist():
        if score < min_score or cls < 0 or int(cls) >= len(labels):
            continue
        out.append({"class_id": int(cls), "label": labels[int(cls)], "score": round(float(score), 5),
                    "box": [round(float(v), 2) for v in (x1, y1, x2, y2)]})
    out.sort(key=lambda d: -d["score"])
    return out


def image_of(inputs):
    """(the decoded BGR image, the SHA-256 of what was sent) for an image input, else None."""
    if isinstance(inputs, (bytes, bytearray)):
        inputs = {"image": bytes(inputs)}
    if not isinstance(inputs, dict):
        return None
    if isinstance(inputs.get("frame"), np.ndarray):
        return inputs["frame"], hashlib.sha256(inputs["frame"].data).hexdigest()
    if isinstance(inputs.get("image"), (bytes, bytearray)):
        data = bytes(inputs["image"])
        image = inputs.get("decoded")
        return (image if image is not None else decode_image(data)), hashlib.sha256(data).hexdigest()
    return None


class DetectionCodec(Codec):
    task = "detection"

    def encode(self, inputs, loaded, config):
        if isinstance(inputs, dict) and "tensor" in inputs:
            model_inputs = tensor_inputs(inputs["tensor"], loaded.manifest)
            return Encoded(model_inputs, hashlib.sha256(model_inputs["image"].tobytes()).hexdigest())
        found = image_of(inputs)
        if found is None:
            raise InputError("this model is a detector: send an image", field="image")
        image, digest = found
        h, w = image.shape[:2]
        return Encoded(preprocess(image, loaded.manifest), digest, {"image": {"width": w, "height": h}})

    def decode(self, outputs, loaded, encoded, config):
        min_score = float((config or {}).get("min_score", 0.05))
        return Decoded({"detections": postprocess(outputs, loaded.manifest, min_score=min_score), **encoded.context})
