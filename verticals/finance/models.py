from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelRiskRecord(models.Model):
    """The model-risk inventory entry a bank keeps for every model (owner, tier,
    status, validation dates), as model-risk policies and JR/T 0221-2021 expect."""

    class Tier(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        DEVELOPMENT = "development", _("In development")
        VALIDATION = "validation", _("In validation")
        APPROVED = "approved", _("Approved")
        PRODUCTION = "production", _("In production")
        RETIRED = "retired", _("Retired")

    model = models.OneToOneField("hub.RegisteredModel", on_delete=models.PROTECT, related_name="risk_record")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=300, blank=True)
    risk_tier = models.CharField(max_length=8, choices=Tier.choices, default=Tier.MEDIUM)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DEVELOPMENT)
    last_validated = models.DateField(null=True, blank=True)
    next_revalidation = models.DateField(null=True, blank=True)
    retired_reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_revalidation", "model__name"]
