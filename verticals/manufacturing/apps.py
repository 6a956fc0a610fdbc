from django.utils.translation import gettext_lazy as _

from core.platform.verticals import VerticalConfig


class ManufacturingConfig(VerticalConfig):
    name = "verticals.manufacturing"
    label = "manufacturing"
    slug = "manufacturing"
    title = _("Manufacturing")
    icon = "factory"
    # Claims only what is built: engine fault diagnosis and smelting mix are on the roadmap, not here.
    description = _("Battery-separator defect QC: line stations, pass/reject verdicts, operator reviews and "
                    "over-kill and escape rates against the classic check.")
    default_settings = {"reject_threshold": 0.5, "image_size": 320}
    celery_queues = ["manufacturing"]
    aliases_requiring_approval = ("champion",)
