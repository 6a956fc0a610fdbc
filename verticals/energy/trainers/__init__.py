"""Energy trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from .forecast_trainers import heat_load
from .patrol_trainers import patrol_pipeline

TRAINERS = {"energy.heat_load": heat_load, "energy.patrol_pipeline": patrol_pipeline}
