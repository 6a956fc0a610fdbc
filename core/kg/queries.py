"""What a user may see of the knowledge graphs: graphs of the organisations where they
hold any role (the subtree below each membership)."""
from core.platform import access

from .models import Graph


def visible_graphs(user):
    return access.scope(Graph.objects.all(), user).select_related(
        "organisation")


def entity_json(e):
    return {"id": e.pk, "key": e.key, "cls": e.cls, "name": e.name, "attributes": e.attributes, "source": e.source,
            "created_at": e.created_at.isoformat() if e.created_at else None}
