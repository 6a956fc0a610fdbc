"""Gradient-boosted trees stored as JSON (core.inference.lib.trees), scored with numpy in
the serving process: no framework, no pickle, so it loads wherever the platform runs."""
import json

from ..lib import trees
from .base import Backend, LoadedModel


class _Trees(LoadedModel):
    def __init__(self, model):
        self.model = model
        self.input_names = ["X"]
        self.output_names = ["scores"]

    def run(self, inputs):
        return {"scores": trees.predict(self.model, inputs["X"])}


class TreesBackend(Backend):
    name = "trees"
    format = "trees"

    def available(self, profile):
        return None if profile.device == "cpu" else f"tree models are scored on the CPU, not {profile.device}"

    def load(self, bundle_dir, manifest, profile):
        model = json.loads((bundle_dir / manifest["files"]["trees"]).read_text(encoding="utf-8"))
        if model.get("link") not in trees.LINKS or not isinstance(model.get("trees"), list):
            raise ValueError("trees.json is not a tree model (link and trees expected)")
        return _Trees(model)
