"""Linear text classifiers stored as JSON (core.inference.lib.textlinear: vocabulary, idf
and coefficients), scored with numpy in the serving process: no framework, no pickle.
Input "texts" (a sequence of strings), output "probabilities" [texts, classes]."""
import json

from ..lib import textlinear
from .base import Backend, LoadedModel


class _TextLinear(LoadedModel):
    def __init__(self, model):
        self.model = textlinear.TextLinear(model)
        self.input_names = ["texts"]
        self.output_names = ["probabilities"]

    def run(self, inputs):
        return {"probabilities": self.model.predict_proba(list(inputs["texts"]))}


class LinearBackend(Backend):
    name = "linear"
    format = "text_linear"

    def available(self, profile):
        return None if profile.device == "cpu" else f"linear text models are scored on the CPU, not {profile.device}"

    def load(self, bundle_dir, manifest, profile):
        model = json.loads((bundle_dir / manifest["files"]["text_linear"]).read_text(encoding="utf-8"))
        try:
            return _TextLinear(model)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"textlinear.json is not a text model ({exc})") from None
