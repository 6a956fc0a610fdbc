from django.utils.translation import gettext_lazy as _

from core.platform.verticals import Dashboard

DASHBOARDS = [
    Dashboard(slug="credit-risk", title=_("Credit risk: scorecard validation, stability and approvals"),
              url_name="finance:dashboard"),
    Dashboard(slug="model-inventory", title=_("Model-risk inventory: owners, tiers, status, revalidation"),
              url_name="finance:inventory"),
]
