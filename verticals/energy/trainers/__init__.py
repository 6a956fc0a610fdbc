"""Energy trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from .heat_load import heat_load
from .patrol import patrol_pipeline

TRAINERS = {"energy.heat_load": heat_load, "energy.patrol_pipeline": patrol_pipeline}
