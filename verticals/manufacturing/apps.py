from django.utils.translation import gettext_lazy as _

from core.platform.verticals import VerticalConfig


class ManufacturingConfig(VerticalConfig):
    name = "verticals.manufacturing"
    label = "manufacturing"
    slug = "manufacturing"
    title = _("Manufacturing")
    icon = "factory"
    description = _("Battery-separator defect QC, engine fault diagnosis, smelting mix optimisation.")
    default_settings = {"reject_threshold": 0.5, "image_size": 320}
    celery_queues = ["manufacturing"]
    aliases_requiring_approval = ("champion",)
