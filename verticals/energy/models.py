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
