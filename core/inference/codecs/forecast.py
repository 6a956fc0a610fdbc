"""A series' recent history in, its next `horizon` values out, for models the forecasting
recipe makes (core.training.recipes.forecasting): gradient-boosted trees served by the
trees backend, the features built from the history as in training
(core.inference.lib.forecast; the lags, step and columns are in the manifest's "forecast").

Inputs: {"history": [{time, target, exogenous...}, ...] oldest first, one record per step,
at least the manifest's forecast.history steps (only the last ones are read);
"future": [{exogenous...}, ...] one record per step forecast, when the model has
exogenous columns (values known ahead: a calendar flag, a weather forecast)}.
Answer: {"target", "origin" (the last time sent), "horizon", "forecast": [{"time",
"value"}, ...]}; every bad field named as history[i].column or future[i].column."""
import numpy as np

from core.platform.rest.exceptions import FieldErrors

from ..lib.forecast import ForecastInputError, encode_history
from . import Codec, Decoded, Encoded, json_digest


class HistoryFieldErrors(FieldErrors):
    """Per-field errors, keyed 'history[i].column', 'future[i].column', 'history' or 'future'."""


def _iso(value) -> str:
    return str(np.datetime64(value, "s"))


class ForecastCodec(Codec):
    task = "forecast"

    def encode(self, inputs, loaded, config):
        if not isinstance(inputs, dict) or "history" not in inputs:
            raise HistoryFieldErrors({"history": [('send {"history": [records, oldest first]} (and "future" when '
                                                   "the model has exogenous columns)")]})
        unknown = [k for k in inputs if k not in ("history", "future")]
        if unknown:
            raise HistoryFieldErrors({k: ["unknown input; a forecast takes history and future"] for k in unknown})
        spec = loaded.manifest["forecast"]
        try:
            arrays = encode_history(spec, inputs["history"], inputs.get("future"))
        except ForecastInputError as exc:
            raise HistoryFieldErrors(exc.errors) from None
        return Encoded({"X": arrays["X"]}, json_digest(inputs),
                       {"reference": arrays["reference"], "times": arrays["times"], "origin": arrays["origin"]})

    def decode(self, outputs, loaded, encoded, config):
        spec = loaded.manifest["forecast"]
        values = encoded.context["reference"] + np.asarray(outputs["scores"], dtype=np.float64).reshape(-1)
        forecast = [{"time": _iso(t), "value": round(float(v), 6)} for t, v in zip(encoded.context["times"], values)]
        return Decoded({"target": spec["target"], "origin": _iso(encoded.context["origin"]),
                        "horizon": len(forecast), "forecast": forecast})
