from django.conf import settings
from django.db import models

from core.hub.models import name_validator


class Dataset(models.Model):
    name = models.CharField(max_length=100, validators=[name_validator])
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="datasets")
    vertical = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=32, help_text="detection, tabular, timeseries, ...")
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_dataset_per_org")]

    def __str__(self):
        return self.name


class DatasetVersion(models.Model):
    """Immutable: its content is the artifact, named by its SHA-256."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    artifact = models.ForeignKey("hub.Artifact", on_delete=models.PROTECT, related_name="dataset_versions")
    num_records = models.BigIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="where the data came from")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["dataset", "version"], name="unique_dataset_version")]

    @property
    def content_hash(self):
        return self.artifact_id

    def __str__(self):
        return f"{self.dataset.name} v{self.version}"
