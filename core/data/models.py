from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.hub.models import name_validator


class Dataset(models.Model):
    name = models.CharField(max_length=100, validators=[name_validator])
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="datasets")
    vertical = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=32, help_text="detection, tabular, timeseries, ...")
    description = models.TextField(blank=True)
    published = models.BooleanField(default=False, help_text="visible (read-only) to the organisations below")
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


class LabelProject(models.Model):
    """People labelling the samples of one dataset version against a label schema; accepted
    labels are cut into new versions of the same dataset."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(max_length=100, validators=[name_validator])
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="label_projects")
    source = models.ForeignKey(DatasetVersion, on_delete=models.PROTECT, related_name="label_projects")
    classes = models.JSONField(help_text="the label schema: class names, in key order (1 = the first)")
    review = models.BooleanField(default=True, help_text="a reviewer accepts or sends back each submitted task")
    overlap = models.PositiveSmallIntegerField(default=1, help_text="annotators per image: 2 measures their agreement")
    entity_types = models.JSONField(default=list, blank=True, help_text="text projects: the span types to mark")
    instructions = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_label_project_per_org")]

    def __str__(self):
        return self.name


class LabelTask(models.Model):
    """One sample of a project: its current labels, who labels it, where it stands."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        SUBMITTED = "submitted", _("Awaiting review")
        SENT_BACK = "sent_back", _("Sent back")
        ACCEPTED = "accepted", _("Accepted")

    project = models.ForeignKey(LabelProject, on_delete=models.CASCADE, related_name="tasks")
    sample_id = models.IntegerField(help_text="the image's id in the source version")
    slot = models.PositiveSmallIntegerField(default=1, help_text="which of the image's annotators (overlap 2)")
    file_name = models.CharField(max_length=500)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="label_tasks")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TODO)
    labels = models.JSONField(default=list, help_text='[{"category": name, "bbox": [x, y, w, h]}]')
    revision = models.PositiveIntegerField(default=0, help_text="bumped on every save: a stale save is refused")
    prelabels = models.JSONField(null=True, blank=True, help_text="what the pre-labelling model proposed")
    prelabel_model = models.ForeignKey("hub.ModelVersion", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    labelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_note = models.CharField(max_length=500, blank=True)
    round = models.PositiveIntegerField(null=True, blank=True, help_text="the active-learning round that queued it")
    priority = models.FloatField(null=True, blank=True, help_text="how much labelling it is worth (higher first)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "sample_id", "slot"]
        constraints = [models.UniqueConstraint(fields=["project", "sample_id", "slot"], name="unique_task_per_slot")]

    def __str__(self):
        return f"{self.project.name}: {self.file_name}"
