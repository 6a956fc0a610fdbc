"""One entity or relation at a time (an import is one batch: see imports.py)."""
from django.db import transaction

from core.platform.actions.audit import record
from core.platform.rest.exceptions import FieldErrors

from ..lib.triples import EntityRow, RelationRow, check_batch
from ..models import Entity, Relation
from ..ontologies import get_ontology
from .graphs import bump_version, check_can_write, lock


def _raise(errors):
    if errors:
        messages = [m for e in errors for m in e.messages]
        raise FieldErrors({"non_field_errors": messages})


def add_entity(graph, *, key, cls, acting_user, name="", attributes=None, source=""):
    check_can_write(acting_user, graph)
    onto = get_ontology(graph.vertical)
    row = EntityRow(key=key, cls=cls, name=name, attributes=attributes or {})
    with transaction.atomic():
        lock(graph)
        existing = dict(Entity.objects.filter(graph=graph, key=key).values_list("key", "cls"))
        _raise(check_batch(onto, [row], [], existing_entities=existing))
        entity = Entity.objects.create(graph=graph, key=key, cls=cls, name=name, attributes=row.attributes,
                                       source=source, created_by=acting_user)
        version = bump_version(graph)
        record("kg.entity.create", acting_user=acting_user, organisation=graph.organisation, obj=entity,
               data={"graph": graph.pk, "key": key, "cls": cls, "version": version})
    return entity


def update_entity(entity, *, acting_user, name=None, attributes=None, source=None):
    """Replaces the name and/or the whole attributes object (checked against the class)."""
    graph = entity.graph
    check_can_write(acting_user, graph)
    onto = get_ontology(graph.vertical)
    if attributes is not None:
        errors = onto.check_entity(entity.cls, attributes)
        if errors:
            raise FieldErrors({"attributes": errors})
    with transaction.atomic():
        lock(graph)
        changed = {}
        if name is not None and name != entity.name:
            entity.name, changed["name"] = name, name
        if attributes is not None and attributes != entity.attributes:
            entity.attributes, changed["attributes"] = attributes, attributes
        if source is not None:
            entity.source = source
        if not changed:
            return entity
        entity.save()
        version = bump_version(graph)
        record("kg.entity.update", acting_user=acting_user, organisation=graph.organisation, obj=entity,
               data={"graph": graph.pk, "key": entity.key, "changed": sorted(changed), "version": version})
    return entity


def delete_entity(entity, *, acting_user):
    """Deletes the entity and every relation touching it."""
    graph = entity.graph
    check_can_write(acting_user, graph)
    with transaction.atomic():
        lock(graph)
        n_rel = Relation.objects.filter(graph=graph, src=entity).count() + \
            Relation.objects.filter(graph=graph, dst=entity).exclude(src=entity).count()
        key, pk = entity.key, entity.pk
        entity.delete()
        version = bump_version(graph)
        record("kg.entity.delete", acting_user=acting_user, organisation=graph.organisation,
               object_type="kg.entity", object_id=pk,
               data={"graph": graph.pk, "key": key, "relations_deleted": n_rel, "version": version})


def add_relation(graph, *, type, src, dst, acting_user, attributes=None, source=""):
    """src and dst are entity keys in the graph."""
    check_can_write(acting_user, graph)
    onto = get_ontology(graph.vertical)
    row = RelationRow(type=type, src=src, dst=dst, attributes=attributes or {})
    with transaction.atomic():
        lock(graph)
        ends = {e.key: e for e in Entity.objects.filter(graph=graph, key__in=[src, dst])}
        existing_rel = set()
        if src in ends and dst in ends and Relation.objects.filter(graph=graph, type=type, src=ends[src],
                                                                   dst=ends[dst]).exists():
            existing_rel.add((type, src, dst))
        _raise(check_batch(onto, [], [row], existing_entities={k: e.cls for k, e in ends.items()},
                           existing_relations=existing_rel))
        rel = Relation.objects.create(graph=graph, type=type, src=ends[src], dst=ends[dst], attributes=row.attributes,
                                      source=source, created_by=acting_user)
        version = bump_version(graph)
        record("kg.relation.create", acting_user=acting_user, organisation=graph.organisation, obj=rel,
               data={"graph": graph.pk, "triple": [src, type, dst], "version": version})
    return rel


def delete_relation(relation, *, acting_user):
    graph = relation.graph
    check_can_write(acting_user, graph)
    with transaction.atomic():
        lock(graph)
        triple = [relation.src.key, relation.type, relation.dst.key]
        pk = relation.pk
        relation.delete()
        version = bump_version(graph)
        record("kg.relation.delete", acting_user=acting_user, organisation=graph.organisation,
               object_type="kg.relation", object_id=pk, data={"graph": graph.pk, "triple": triple, "version": version})
