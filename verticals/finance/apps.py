from django.utils.translation import gettext_lazy as _

from core.platform.verticals import VerticalConfig


class FinanceConfig(VerticalConfig):
    name = "verticals.finance"
    label = "finance"
    slug = "finance"
    title = _("Finance")
    icon = "bank"
    description = _("Credit scorecards, anti-fraud, and the model governance regulators and auditors need.")
    default_settings = {"revalidation_months": 12, "reason_codes": 3}
    celery_queues = ["finance"]
    # Going live is the champion alias; a second person with the approver role must agree.
    aliases_requiring_approval = ("champion",)
