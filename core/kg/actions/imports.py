"""Batch import: all or nothing, every bad row named, one audit event per batch."""
import hashlib

from django.conf import settings
from django.db import transaction

from core.platform.actions.audit import record
from core.platform.rest.exceptions import FieldErrors

from ..lib.triples import (
    MAX_ERRORS,
    TripleFormatError,
    check_batch,
    parse_entities_csv,
    parse_json,
    parse_relations_csv,
)
from ..models import Entity, Relation
from ..ontologies import get_ontology
from .graphs import bump_version, check_can_write, lock


class ImportRejected(FieldErrors):
    """The batch broke the ontology or the graph: nothing was written. `rows` lists
    {"section", "row", "errors"} for every bad row (up to MAX_ERRORS)."""

    def __init__(self, row_errors, total):
        self.rows = [e.as_dict() for e in row_errors[:MAX_ERRORS]]
        errors = {}
        for e in self.rows:
            errors.setdefault(f"{e['section']} {e['row']}", []).extend(e["errors"])
        if total > len(self.rows):
            errors["non_field_errors"] = [f"... and {total - len(self.rows)} more bad rows not listed"]
        super().__init__(errors, f"import rejected, nothing was written: {total} bad row(s); first: "
                                 f"{self.rows[0]['section']} {self.rows[0]['row']}: {self.rows[0]['errors'][0]}")


def max_rows():
    return getattr(settings, "KG_IMPORT_MAX_ROWS", 2_000_000)


def import_triples(graph, *, entities, relations, acting_user, source="", parse_errors=(), audit_data=None):
    """entities / relations: lists of EntityRow / RelationRow (lib.triples). Relations may
    name entities of this batch or entities already in the graph."""
    check_can_write(acting_user, graph)
    onto = get_ontology(graph.vertical)
    total_rows = len(entities) + len(relations)
    if total_rows > max_rows():
        raise FieldErrors({"file": [f"{total_rows} rows, more than the {max_rows()} allowed in one import; "
                                    f"split it into batches"]})
    if total_rows == 0 and not parse_errors:
        raise FieldErrors({"file": ["nothing to import: no entities and no relations"]})
    with transaction.atomic():
        lock(graph)
        existing = dict(Entity.objects.filter(graph=graph).values_list("key", "cls"))
        existing_rel = set()
        if any(r.src in existing and r.dst in existing for r in relations):
            existing_rel = set(Relation.objects.filter(graph=graph).values_list("type", "src__key", "dst__key"))
        errors = check_batch(onto, entities, relations, existing_entities=existing, existing_relations=existing_rel,
                             errors=parse_errors)
        if errors:
            order = {"entities": 0, "relations": 1}
            errors.sort(key=lambda e: (order.get(e.section, 2), _row_number(e.where)))
            raise ImportRejected(errors, len(errors))
        Entity.objects.bulk_create(
            [Entity(graph=graph, key=e.key, cls=e.cls, name=e.name, attributes=e.attributes or {}, source=source,
                    created_by=acting_user) for e in entities], batch_size=2000)
        if relations:
            ids = dict(Entity.objects.filter(graph=graph).values_list("key", "id"))
            Relation.objects.bulk_create(
                [Relation(graph=graph, type=r.type, src_id=ids[r.src], dst_id=ids[r.dst], attributes=r.attributes or {},
                          source=source, created_by=acting_user) for r in relations], batch_size=2000)
        version = bump_version(graph)
        record("kg.import", acting_user=acting_user, organisation=graph.organisation, obj=graph,
               data={"graph": graph.pk, "entities": len(entities), "relations": len(relations), "source": source,
                     "version": version, **(audit_data or {})})
    return {"graph": graph.pk, "entities": len(entities), "relations": len(relations), "version": version}


def _row_number(where):
    digits = "".join(ch for ch in where if ch.isdigit())
    return int(digits) if digits else 0


def import_files(graph, *, acting_user, json_data=None, entities_csv=None, relations_csv=None, source=""):
    """A single JSON document {entities, relations}, or an entities CSV and/or a relations CSV
    (bytes). Unreadable files -> FieldErrors on the file's field; bad rows -> ImportRejected."""
    if json_data is not None and (entities_csv is not None or relations_csv is not None):
        raise FieldErrors({"file": ["send either one JSON file or entities/relations CSV files, not both"]})
    if json_data is None and entities_csv is None and relations_csv is None:
        raise FieldErrors({"file": ["no file: send 'file' (JSON) or 'entities' and/or 'relations' (CSV)"]})
    onto = get_ontology(graph.vertical)
    digests = {}
    if json_data is not None:
        digests["file_sha256"] = hashlib.sha256(json_data).hexdigest()
        try:
            entities, relations, errors = parse_json(json_data)
        except TripleFormatError as exc:
            raise FieldErrors({"file": [str(exc)]}) from None
    else:
        entities, relations, errors = [], [], []

        def ent_type(cls, attr):
            return onto.attribute_type(cls_name=cls, attr=attr) if cls in onto.classes else None

        def rel_type(rel, attr):
            return onto.attribute_type(relation=rel, attr=attr)

        for field, data, parse in (("entities", entities_csv, lambda d: parse_entities_csv(d, ent_type)),
                                   ("relations", relations_csv, lambda d: parse_relations_csv(d, rel_type))):
            if data is None:
                continue
            digests[f"{field}_sha256"] = hashlib.sha256(data).hexdigest()
            try:
                rows, errs = parse(data)
            except TripleFormatError as exc:
                raise FieldErrors({field: [str(exc)]}) from None
            (entities if field == "entities" else relations).extend(rows)
            errors.extend(errs)
    return import_triples(graph, entities=entities, relations=relations, acting_user=acting_user, source=source,
                          parse_errors=errors, audit_data=digests)
