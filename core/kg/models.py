from django.conf import settings
from django.db import models

from core.hub.models import name_validator


class Graph(models.Model):
    """A knowledge graph of one organisation, typed by one vertical's ontology. Every
    change to its entities or relations bumps `version` (the in-memory projection is
    rebuilt when it moves)."""

    name = models.CharField(max_length=100, validators=[name_validator])
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="kg_graphs")
    vertical = models.CharField(max_length=32, help_text="the vertical whose ontology types this graph")
    description = models.TextField(blank=True)
    version = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_kg_graph_per_org")]

    def __str__(self):
        return self.name


class Entity(models.Model):
    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="entities")
    key = models.CharField(max_length=200)
    cls = models.CharField(max_length=64)
    name = models.CharField(max_length=300, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    # provenance
    source = models.CharField(max_length=500, blank=True, help_text="where this fact came from")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["graph_id", "key"]
        constraints = [models.UniqueConstraint(fields=["graph", "key"], name="unique_kg_entity_key")]
        indexes = [models.Index(fields=["graph", "cls"], name="kg_entity_cls")]
        verbose_name_plural = "entities"

    def __str__(self):
        return f"{self.key} ({self.cls})"


class Relation(models.Model):
    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="relations")
    type = models.CharField(max_length=64)
    src = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="out_relations")
    dst = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="in_relations")
    attributes = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="where this fact came from")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["graph_id", "id"]
        constraints = [models.UniqueConstraint(fields=["graph", "type", "src", "dst"], name="unique_kg_triple")]
        indexes = [models.Index(fields=["graph", "type"], name="kg_relation_type")]

    def __str__(self):
        return f"{self.src_id} -{self.type}-> {self.dst_id}"
