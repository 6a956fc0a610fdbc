"""City trainers (registered by the vertical contract: TRAINERS "<slug>.<name>" -> callable(JobContext))."""
from core.training.registry import long_running

from .junction_demo import junction_demo
from .traffic_pipeline import traffic_pipeline

# Both train a detector: hours, so they run on the long queue.
TRAINERS = {"city.traffic_pipeline": long_running(traffic_pipeline), "city.junction_demo": long_running(junction_demo)}
