"""Energy trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from .forecast_trainers import heat_load

TRAINERS = {"energy.heat_load": heat_load}
