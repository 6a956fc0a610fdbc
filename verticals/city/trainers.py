"""City trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from .junction_demo import junction_demo
from .traffic_pipeline import traffic_pipeline

TRAINERS = {"city.traffic_pipeline": traffic_pipeline, "city.junction_demo": junction_demo}
