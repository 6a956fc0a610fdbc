from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", "a SHA-256 is 64 lower-case hex digits")
name_validator = RegexValidator(r"^[a-z0-9][a-z0-9._-]{0,99}$", "lower-case letters, digits, '.', '_' and '-'")


class Artifact(models.Model):
    """A file stored once, named by its SHA-256 (the storage keeps the bytes).
    `organisation` and `filename` are the first uploader's and are never shown: what
    a user sees is their own organisation's ArtifactHolding."""

    sha256 = models.CharField(max_length=64, primary_key=True, validators=[sha256_validator])
    size = models.BigIntegerField()
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.sha256[:12]} {self.filename}"


class ArtifactHolding(models.Model):
    """An organisation's own record of an artifact: the bytes are shared, but the
    name it was uploaded under, and who uploaded it, stay with each organisation, so
    deduplication never shows one organisation another's file."""

    artifact = models.ForeignKey(Artifact, on_delete=models.PROTECT, related_name="holdings")
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__path", "id"]
        constraints = [models.UniqueConstraint(fields=["artifact", "organisation"],
                                               name="unique_artifact_holding_per_org")]

    def __str__(self):
        return f"{self.artifact_id[:12]} {self.filename} @ {self.organisation_id}"


class RegisteredModel(models.Model):
    """A named model owned by an organisation. `published` shares it down the tree:
    every organisation below the owner sees it; siblings never do."""

    name = models.CharField(max_length=100, validators=[name_validator])
    title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="models")
    vertical = models.CharField(max_length=32, blank=True, help_text=_("slug of the vertical, empty for core"))
    model_type = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    published = models.BooleanField(default=False)
    tags = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_model_name_per_org")]

    def __str__(self):
        return self.name


class ModelVersion(models.Model):
    model = models.ForeignKey(RegisteredModel, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    artifact = models.ForeignKey(Artifact, on_delete=models.PROTECT, related_name="model_versions")
    metrics = models.JSONField(default=dict, blank=True)
    params = models.JSONField(default=dict, blank=True)
    tags = models.JSONField(default=dict, blank=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["model_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["model", "version"], name="unique_version_per_model")]

    def __str__(self):
        return f"{self.model.name} v{self.version}"


class ModelAlias(models.Model):
    """A movable name (champion, challenger, ...) for one version of a model."""

    model = models.ForeignKey(RegisteredModel, on_delete=models.PROTECT, related_name="aliases")
    name = models.CharField(max_length=50, validators=[name_validator])
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="aliases")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["model", "name"], name="unique_alias_per_model")]


class AliasChangeRequest(models.Model):
    """Maker-checker: a request to point an alias at a version, decided by someone else."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    model = models.ForeignKey(RegisteredModel, on_delete=models.PROTECT, related_name="alias_requests")
    alias = models.CharField(max_length=50, validators=[name_validator])
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="alias_requests")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]


class LineageEdge(models.Model):
    """An explicit edge between two lineage nodes, each named by (kind, id); kinds are
    declared in core.hub.lineage (dataset_version, training_run, model_version,
    deployment, prediction)."""

    src_kind = models.CharField(max_length=32)
    src_id = models.BigIntegerField()
    dst_kind = models.CharField(max_length=32)
    dst_id = models.BigIntegerField()
    relation = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["src_kind", "src_id", "dst_kind", "dst_id", "relation"], name="unique_lineage_edge")
        ]
        indexes = [
            models.Index(fields=["src_kind", "src_id"], name="lineage_src"),
            models.Index(fields=["dst_kind", "dst_id"], name="lineage_dst"),
        ]


class Evaluation(models.Model):
    """How a model version did on a dataset version, measured once and kept: headline
    numbers (`summary`) and what the evaluation page draws (`report`, its shape per kind in
    core/hub/lib/evaluation_schema.py), with the thumbnails it shows (crops of false
    positives and misses, the worst examples) as one zip artifact. Written complete by
    core.hub.actions.evaluations.record_evaluation and never changed: a new measurement is a
    new record, and the page shows the latest.

    The dataset version is an id, not a foreign key: data and hub are independent apps of the
    same layer (data's models already point at hub's), so the hub names a dataset version the
    way lineage does, and the record is also a lineage edge
    dataset_version -evaluated_on-> model_version."""

    class Kind(models.TextChoices):
        CLASSIFICATION = "classification", _("Image classification")
        DETECTION = "detection", _("Object detection")
        TABULAR_CLASSIFICATION = "tabular_classification", _("Tabular classification")
        REGRESSION = "regression", _("Regression")
        FORECAST = "forecast", _("Forecasting")

    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="evaluations")
    dataset_version_id = models.BigIntegerField(null=True, blank=True, db_index=True,
                                                help_text="the data.DatasetVersion evaluated on (lineage's id)")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    split = models.CharField(max_length=500, blank=True, help_text="which part of the dataset version, and how cut")
    summary = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    images = models.ForeignKey(Artifact, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="zip of the thumbnails the report names")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["model_version", "-created_at"], name="evaluation_latest")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("an evaluation is written once: record a new one instead")
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.kind} evaluation #{self.pk} of version {self.model_version_id}"
