from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.hub.models import name_validator
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import Graph
from ..ontologies import get_ontology, registered_slugs


def check_can_write(user, graph):
    if user is not None and not access.can(user, roles.DEVELOP, graph.organisation):
        raise PermissionError(f"you may not change knowledge graphs in {graph.organisation}")


def create_graph(*, name, organisation, vertical, acting_user, description=""):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not create knowledge graphs in {organisation}")
    name_validator(name)
    if vertical not in registered_slugs():
        known = ", ".join(registered_slugs()) or "none"
        raise ValidationError({"vertical": f"no ontology is registered for vertical {vertical!r} (registered: {known})"})
    get_ontology(vertical)  # a malformed ontology fails here, not at the first write
    if Graph.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a knowledge graph named {name!r}"})
    with transaction.atomic():
        graph = Graph.objects.create(name=name, organisation=organisation, vertical=vertical,
                                     description=description, created_by=acting_user)
        record("kg.graph.create", acting_user=acting_user, organisation=organisation, obj=graph,
               data={"name": name, "vertical": vertical})
    return graph


def lock(graph):
    """Inside a transaction: serialise writers of one graph (a no-op lock on SQLite,
    whose writers are serialised anyway)."""
    return Graph.objects.select_for_update().get(pk=graph.pk)


def bump_version(graph):
    Graph.objects.filter(pk=graph.pk).update(version=F("version") + 1, updated_at=timezone.now())
    graph.refresh_from_db(fields=["version", "updated_at"])
    return graph.version
