"""Energy's in-process inference backends (JSON models served through the core engine)."""
from .forecast_backend import ForecastBackend

BACKENDS = [ForecastBackend]
