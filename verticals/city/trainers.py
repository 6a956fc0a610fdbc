"""City trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from .traffic_pipeline import traffic_pipeline

TRAINERS = {"city.traffic_pipeline": traffic_pipeline}
