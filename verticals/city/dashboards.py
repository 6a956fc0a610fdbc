from django.utils.translation import gettext_lazy as _

from core.platform.verticals import Dashboard

DASHBOARDS = [Dashboard(slug="operations", title=_("City operations: streams, events, one map, compute pools"),
                        url_name="city:dashboard")]
