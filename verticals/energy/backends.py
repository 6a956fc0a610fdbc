"""Energy's in-process inference backends (the vertical contract's BACKENDS).

The day-ahead load forecaster is a JSON linear model, not a neural network: it is
served by this backend through the core engine (bundles hash-verified, predictions
recorded by the caller).

Inputs: {"history": [{"timestamp", "<target>", "temperature", "workday"}, ...] (or a
dict of columns) covering at least the 7 whole days before the forecast day,
"temperature": [P numbers] (the forecast day's temperature forecast), "workday": 0/1};
or {"requests": [such objects, ...]} for a batch.
Outputs: {"timestamps": [...], "forecast": [...]} (or {"results": [...]})."""
from core.inference.backends.base import Backend, LoadedModel


class _Forecaster(LoadedModel):
    input_names = ["history", "temperature", "workday"]
    output_names = ["timestamps", "forecast"]

    def __init__(self, model, max_batch):
        self.model = model
        self.max_batch = max_batch

    def _one(self, request):
        import pandas as pd

        from .lib.forecast import ForecastError, forecast_day

        if not isinstance(request, dict):
            raise ForecastError("each request must be an object with history, temperature and workday")
        missing = [k for k in ("history", "temperature", "workday") if k not in request]
        if missing:
            raise ForecastError(f"missing input(s): {', '.join(missing)}")
        try:
            history = pd.DataFrame(request["history"])
        except (ValueError, TypeError) as exc:
            raise ForecastError(f"history: not a table ({exc})") from None
        return forecast_day(self.model, history, request["temperature"], request["workday"])

    def run(self, inputs):
        from .lib.forecast import ForecastError

        if "requests" in inputs:
            requests = inputs["requests"]
            if not isinstance(requests, list) or not requests:
                raise ForecastError("requests: send a non-empty list")
            if len(requests) > self.max_batch:
                raise ForecastError(f"requests: at most {self.max_batch} per call")
            return {"results": [self._one(r) for r in requests]}
        return self._one(inputs)


class ForecastBackend(Backend):
    name = "forecast"
    format = "forecast"

    def available(self, profile):
        return None if profile.device == "cpu" else f"load forecasts run on the CPU, not {profile.device}"

    def load(self, bundle_dir, manifest, profile):
        from .lib.forecast import model_from_json

        model = model_from_json((bundle_dir / manifest["files"]["forecast"]).read_text())
        return _Forecaster(model, max(1, int(profile.max_batch)))


BACKENDS = [ForecastBackend]
