from django.conf import settings
from django.db import models

from core.hub.models import name_validator


class Deployment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        STOPPED = "stopped", "Stopped"

    name = models.CharField(max_length=100, validators=[name_validator])
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="deployments")
    model_version = models.ForeignKey("hub.ModelVersion", on_delete=models.PROTECT, related_name="deployments")
    profile = models.CharField(max_length=64)
    config = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_deployment_per_org")]

    def __str__(self):
        return self.name


class PredictionRecord(models.Model):
    """One served prediction, kept so any output traces back to its model version."""

    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="predictions")
    model_version = models.ForeignKey("hub.ModelVersion", on_delete=models.PROTECT, related_name="+")
    input_sha256 = models.CharField(max_length=64)
    output = models.JSONField(default=dict)
    latency_ms = models.FloatField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
