from django.utils.translation import gettext_lazy as _

from core.platform.verticals import Dashboard

DASHBOARDS = [Dashboard(slug="line-qc", title=_("Line QC: battery-separator inspection stations"),
                        url_name="manufacturing:stations")]
