from django.utils.translation import gettext_lazy as _

from core.platform.verticals import Dashboard

DASHBOARDS = [Dashboard(slug="grids", title=_("Power grids: topology, outage analysis and restoration plans"),
                        url_name="energy:dashboard")]
