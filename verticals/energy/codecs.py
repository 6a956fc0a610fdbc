"""The day-ahead load forecast's codec: named JSON inputs (history, temperature, workday,
or a batch of such requests) in, the forecast out under "outputs" as the scheduler has
always answered; a request the forecaster cannot use is a 400 naming why."""
from core.inference.codecs import InputError, NamedInputs


class ForecastCodec(NamedInputs):
    task = "load_forecast"

    def refusal(self, exc, encoded):
        # lib.forecast loads pandas: not at Django start-up (tests/test_setup_imports.py).
        from .lib.forecast import ForecastError

        if isinstance(exc, ForecastError):
            return InputError(f"the forecaster refused the inputs: {exc}", field="inputs")
        return None


CODECS = [ForecastCodec()]
