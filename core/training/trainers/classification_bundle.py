"""A trained classifier as the platform keeps and serves it: the model bundle (Paddle PIR,
ONNX, the manifest the classification codec reads) and its probabilities as served, through
the codec and the inference engine, for the evaluation."""
from pathlib import Path

from ..lib import image_classes

CLASSIFICATION = "classification"
DEFAULT_PROFILE = "cpu-onnxruntime"


def describe(params) -> str:
    return f"PP-LCNet x{params['scale']} classifier, {params['input_size']} px"


def package(work, exported, labels, params):
    from core.inference.lib.bundle import write_bundle

    from ..classification.run import IMAGENET_MEAN, IMAGENET_STD

    paddle_dir, size = Path(exported["paddle_dir"]), int(params["input_size"])
    manifest = {
        "task": CLASSIFICATION,
        "architecture": describe(params),
        "labels": labels,
        "input": {"image_shape": [1, 3, size, size], "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD),
                  "color": "RGB"},
        "output": "probabilities",
        "files": {"paddle": {"model": "paddle/model.json", "params": "paddle/model.pdiparams"},
                  "onnx": "onnx/model.onnx"},
        # The trained backbone in the preset format, so a version can seed another training.
        "backbone": {"family": "lcnet", "scale": params["scale"], "weights": "train/backbone.npz"},
    }
    files = {"paddle/model.json": paddle_dir / "model.json", "paddle/model.pdiparams": paddle_dir / "model.pdiparams",
             "onnx/model.onnx": Path(exported["onnx"]), "train/backbone.npz": Path(exported["backbone"]),
             "train/spec.json": work / "spec.json"}
    return write_bundle(work / "model-bundle.zip", manifest, files)


def served_probabilities(bundle, folder, items, *, profile_name=DEFAULT_PROFILE):
    """[n, classes] probabilities of the exported model as it will be served: each image
    file's bytes through the classification codec and the engine under the profile."""
    import numpy as np

    from core.inference.codecs.classification import ClassificationCodec, probabilities
    from core.inference.engine import load_bundle, run
    from core.inference.profiles import get_profile

    loaded = load_bundle(bundle, sha256_of(bundle), get_profile(profile_name))
    codec = ClassificationCodec()
    try:
        rows = [probabilities(run(loaded, codec.encode({"image": (Path(folder) / "images" / it.file_name).read_bytes()},
                                                       loaded, {}).inputs), loaded.manifest) for it in items]
    finally:
        loaded.model.close()
    return np.asarray(rows).reshape(len(items), len(loaded.manifest["labels"]))


def evaluate_bundle(bundle, folder, labels, items, *, profile_name=DEFAULT_PROFILE, seen=None) -> dict:
    """Metrics of the served model on `items`; seen, a dict, receives its probabilities under
    "probabilities" (for the version's evaluation record)."""
    probabilities = served_probabilities(bundle, folder, items, profile_name=profile_name)
    if seen is not None:
        seen["probabilities"] = probabilities
    return image_classes.evaluate(labels, items, probabilities)


def sha256_of(path):
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
