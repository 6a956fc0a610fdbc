"""A backend a vertical brings: linear weights in JSON, served with numpy."""
import json

import numpy as np

from core.inference.backends.base import Backend, LoadedModel


class _Linear(LoadedModel):
    input_names = ["x"]
    output_names = ["y"]

    def __init__(self, weights):
        self.weights = np.asarray(weights, dtype=np.float64)

    def run(self, inputs):
        return {"y": np.asarray(inputs["x"], dtype=np.float64) @ self.weights}


class NumpyLinearBackend(Backend):
    name = "numpy"
    format = "numpy"

    def available(self, profile):
        return None if profile.device == "cpu" else f"the numpy backend runs on the CPU only, not {profile.device}"

    def load(self, bundle_dir, manifest, profile):
        return _Linear(json.loads((bundle_dir / manifest["files"]["numpy"]).read_text())["weights"])


BACKENDS = [NumpyLinearBackend]
