from django.conf import settings
from django.db import models


class Grid(models.Model):
    """A power grid held as a knowledge graph, and the pandapower case it came from (so a
    restoration plan can be checked with a power flow)."""

    graph = models.OneToOneField("kg.Graph", on_delete=models.CASCADE, related_name="grid")
    case = models.CharField(max_length=64, help_text="the pandapower network it was imported from")
    buses = models.PositiveIntegerField(default=0)
    branches = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.graph.name} ({self.case})"


class FaultIncident(models.Model):
    """A fault a dispatcher records on a grid: the tripped line or transformer, the alarms
    seen, and the outage analysis and restoration plan as computed when it was opened (kept
    as they were then, even if the grid changes later). Active until a dispatcher clears it
    as restored; at most one active incident per grid element."""

    class Status(models.TextChoices):
        ACTIVE = "active", "active"
        RESTORED = "restored", "restored"

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="faults")
    element = models.CharField(max_length=200, help_text="the tripped line or transformer (entity key: line:3, trafo:0)")
    title = models.CharField(max_length=200)
    alarms = models.JSONField(default=list, blank=True, help_text="alarms observed when the fault was recorded")
    lost_buses = models.JSONField(default=list, help_text="buses that lost supply (entity keys)")
    lost_load_mw = models.FloatField(null=True, blank=True)
    powerflow_ok = models.BooleanField(null=True, help_text="the power-flow check of the plan; null when not run")
    plan = models.JSONField(default=dict, help_text="outage analysis, restoration plan and power-flow check at opening")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField()
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    clear_note = models.CharField(max_length=1000, blank=True)
    restoration_time = models.DurationField(null=True, blank=True, help_text="cleared_at - opened_at")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "element"], condition=models.Q(status="active"),
                                    name="energy_one_active_fault_per_element"),
        ]

    def __str__(self):
        return f"{self.element} on {self.grid} ({self.status})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE
