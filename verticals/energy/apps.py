from django.utils.translation import gettext_lazy as _

from core.platform.verticals import VerticalConfig


class EnergyConfig(VerticalConfig):
    name = "verticals.energy"
    label = "energy"
    slug = "energy"
    title = _("Energy")
    icon = "bolt"
    description = _("Power grids: the dispatch knowledge graph, outage analysis and restoration plans.")
    default_settings = {"vm_min_pu": 0.9, "vm_max_pu": 1.1}
    celery_queues = ["energy"]
    aliases_requiring_approval = ("champion",)
