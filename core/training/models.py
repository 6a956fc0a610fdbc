from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="jobs")
    trainer = models.CharField(max_length=100)
    params = models.JSONField(default=dict, blank=True)
    queue = models.CharField(max_length=64, default="default")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=500, blank=True)
    log_tail = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    max_retries = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"job #{self.pk} {self.trainer} ({self.status})"


class TrainingRun(models.Model):
    """What a reproduction needs: code revision, parameters, environment and seed.
    Dataset versions it read and model versions it produced are lineage edges."""

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="runs")
    attempt = models.PositiveIntegerField(default=1)
    code_revision = models.CharField(max_length=64)
    params = models.JSONField(default=dict)
    environment = models.JSONField(default=dict)
    seed = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class Study(models.Model):
    """A hyper-parameter search: a recipe trained on one dataset version, trial after trial,
    within a budget; its best trial becomes a version of the target model."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        STOPPED = "stopped", _("Stopped")

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="studies")
    recipe = models.CharField(max_length=100)
    dataset_version = models.ForeignKey("data.DatasetVersion", on_delete=models.PROTECT, related_name="studies")
    target_model = models.ForeignKey("hub.RegisteredModel", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="studies")
    params = models.JSONField(default=dict, blank=True, help_text="the recipe's settings (target column, ...)")
    # What the recipe's check found in the data: the metric and its direction, rows, classes.
    plan = models.JSONField(default=dict, blank=True)
    metric = models.CharField(max_length=64)
    direction = models.CharField(max_length=8, choices=[("maximize", "maximize"), ("minimize", "minimize")])
    budget_trials = models.PositiveIntegerField()
    budget_seconds = models.PositiveIntegerField(null=True, blank=True)
    parallelism = models.PositiveIntegerField(default=1)
    seed = models.BigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING, db_index=True)
    message = models.CharField(max_length=500, blank=True)
    best_trial = models.ForeignKey("Trial", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The recipe's plain model (logistic or ridge regression) on the same split, to beat.
    baseline = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "studies"

    def __str__(self):
        return f"study #{self.pk} {self.recipe} ({self.status})"


class Trial(models.Model):
    """One training of a study's recipe with one set of hyper-parameters, run as a job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        COMPLETE = "complete", _("Complete")
        PRUNED = "pruned", _("Pruned")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="trials")
    number = models.PositiveIntegerField()
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    value = models.FloatField(null=True, blank=True)
    intermediate = models.JSONField(default=dict, blank=True, help_text="step -> the metric on the validation split")
    metrics = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=500, blank=True)
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="trial")
    run = models.ForeignKey(TrainingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The trained model's bundle, kept for a complete trial so the best can be registered later.
    artifact = models.ForeignKey("hub.Artifact", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    model_version = models.ForeignKey("hub.ModelVersion", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "number"]
        constraints = [models.UniqueConstraint(fields=["study", "number"], name="trial_number_unique_in_study")]

    def __str__(self):
        return f"trial {self.number} of study #{self.study_id} ({self.status})"
