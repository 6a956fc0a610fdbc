from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Station(models.Model):
    """An inspection station on a line: a camera, a deployment and a reject threshold."""

    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    line = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    deployment = models.ForeignKey("inference.Deployment", on_delete=models.PROTECT, related_name="+")
    reject_threshold = models.FloatField(default=0.5)
    guard_level = models.FloatField(
        null=True, blank=True,
        help_text="contrast guard: a part whose classic flat-field score reaches this (in noise units) is rejected "
                  "whatever the model says; calibrated above every known-good part; empty = model only")
    display_threshold = models.FloatField(
        null=True, blank=True,
        help_text="boxes scoring below this are not drawn on a part (the verdict still uses the reject threshold); "
                  "empty = the higher of 0.3 and the reject threshold")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_station_per_org")]

    def __str__(self):
        return self.name


class Inspection(models.Model):
    """One part inspected: the verdict, what was found, and (once an operator or a
    known ground truth says so) whether the part really was defective."""

    class Verdict(models.TextChoices):
        PASS = "pass", _("Pass")
        REJECT = "reject", _("Reject")

    class Truth(models.TextChoices):
        GOOD = "good", _("Good")
        DEFECTIVE = "defective", _("Defective")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="inspections")
    prediction = models.OneToOneField("inference.PredictionRecord", on_delete=models.PROTECT, related_name="+")
    model_version = models.ForeignKey("hub.ModelVersion", on_delete=models.PROTECT, related_name="+")
    image = models.ForeignKey("hub.Artifact", on_delete=models.PROTECT, related_name="+")
    image_width = models.PositiveIntegerField()
    image_height = models.PositiveIntegerField()
    verdict = models.CharField(max_length=8, choices=Verdict.choices, db_index=True)
    threshold = models.FloatField()
    guard_level = models.FloatField(null=True, blank=True, help_text="the station's contrast guard when inspected")
    max_score = models.FloatField(default=0.0)
    defects = models.JSONField(default=list, help_text="detections at or above the threshold")
    defect_counts = models.JSONField(default=dict)
    source = models.CharField(max_length=200, blank=True)
    inspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    truth = models.CharField(max_length=12, choices=Truth.choices, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
