from django.utils.translation import gettext_lazy as _

from core.platform.verticals import VerticalConfig


class CityConfig(VerticalConfig):
    name = "verticals.city"
    label = "city"
    slug = "city"
    title = _("City brain")
    icon = "building"
    description = _("Video structuring, violation events and their workflow, one map of the district, "
                    "and algorithm scheduling across compute pools.")
    # Analysis rate per stream, how long a camera may stay silent before it is marked
    # offline, and how long opening a stream may take before it counts as hung.
    default_settings = {"analysis_fps": 5.0, "stale_after_s": 30.0, "open_timeout_s": 10.0,
                        "read_timeout_s": 10.0}
    celery_queues = ["city"]
    aliases_requiring_approval = ("champion",)
