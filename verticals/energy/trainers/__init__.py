"""Energy trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from core.training.registry import long_running

from .heat_load import heat_load
from .patrol import patrol_pipeline

# The patrol pipeline trains a detector (long queue); a load forecast takes seconds.
TRAINERS = {"energy.heat_load": heat_load, "energy.patrol_pipeline": long_running(patrol_pipeline)}
