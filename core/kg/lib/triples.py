"""Entities and relations as they arrive (CSV or JSON), parsed and checked as one batch.
Pure: no Django.

Entities CSV: columns key, cls (or class), name; every other column is an attribute,
parsed as the ontology declares (an empty cell: no value). Relations CSV: src, type (or
relation), dst; every other column an attribute. JSON: {"entities": [{"key", "cls",
"name", "attributes": {...}}], "relations": [{"src", "type", "dst", "attributes": {...}}]}.
Each row carries where it came from ("line 7" of a CSV file, "item 3" of a JSON list)
so an error names it.
"""
import csv
import io
import json
from dataclasses import dataclass, field

from .ontology import coerce_text

MAX_KEY = 200
MAX_NAME = 300
MAX_ERRORS = 200


class TripleFormatError(ValueError):
    """The file itself cannot be read (not the rows in it)."""


@dataclass
class EntityRow:
    key: str
    cls: str
    name: str = ""
    attributes: dict = field(default_factory=dict)
    where: str = ""


@dataclass
class RelationRow:
    type: str
    src: str
    dst: str
    attributes: dict = field(default_factory=dict)
    where: str = ""


@dataclass
class RowError:
    section: str  # "entities" | "relations"
    where: str
    messages: list

    def as_dict(self):
        return {"section": self.section, "row": self.where, "errors": list(self.messages)}


def _text(data):
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TripleFormatError(f"not UTF-8 text (byte {exc.start})") from None
    return data


def _csv_rows(data, what):
    reader = csv.DictReader(io.StringIO(_text(data)))
    if not reader.fieldnames:
        raise TripleFormatError(f"{what}: empty file, expected a header row")
    header = [(h or "").strip() for h in reader.fieldnames]
    if len(set(header)) != len(header):
        raise TripleFormatError(f"{what}: duplicate column names in the header")
    reader.fieldnames = header
    try:
        for row in reader:
            if None in row:
                yield reader.line_num, None, f"more cells than the {len(header)} header columns"
                continue
            yield reader.line_num, row, None
    except csv.Error as exc:
        raise TripleFormatError(f"{what}: line {reader.line_num}: {exc}") from None


def _pick(row, *names):
    for n in names:
        if n in row:
            return n
    return None


def parse_entities_csv(data, attribute_type):
    """attribute_type(cls, attr) -> declared type or None. Returns (rows, errors)."""
    rows, errors = [], []
    header_checked = False
    for line, row, problem in _csv_rows(data, "entities CSV"):
        if problem:
            errors.append(RowError("entities", f"line {line}", [problem]))
            continue
        if not header_checked:
            header_checked = True
            missing = [n for n, alts in (("key", ("key",)), ("cls", ("cls", "class"))) if not _pick(row, *alts)]
            if missing:
                raise TripleFormatError(f"entities CSV: missing column(s) {', '.join(missing)}; "
                                        f"the header needs key, cls (or class), optionally name and attributes")
        cls = (row.get("cls") if "cls" in row else row.get("class") or "").strip()
        messages, attrs = [], {}
        for col, cell in row.items():
            if col in ("key", "cls", "class", "name") or cell is None or cell.strip() == "":
                continue
            typ = attribute_type(cls, col)
            if typ is None:
                attrs[col] = cell  # reported as unknown by the ontology check
                continue
            try:
                attrs[col] = coerce_text(cell, typ)
            except ValueError as exc:
                messages.append(f"attribute {col!r}: {exc}")
        r = EntityRow(key=(row.get("key") or "").strip(), cls=cls, name=(row.get("name") or "").strip(),
                      attributes=attrs, where=f"line {line}")
        rows.append(r)
        if messages:
            errors.append(RowError("entities", r.where, messages))
    return rows, errors


def parse_relations_csv(data, attribute_type):
    """attribute_type(relation, attr) -> declared type or None. Returns (rows, errors)."""
    rows, errors = [], []
    header_checked = False
    for line, row, problem in _csv_rows(data, "relations CSV"):
        if problem:
            errors.append(RowError("relations", f"line {line}", [problem]))
            continue
        if not header_checked:
            header_checked = True
            missing = [n for n, alts in (("src", ("src",)), ("type", ("type", "relation")), ("dst", ("dst",)))
                       if not _pick(row, *alts)]
            if missing:
                raise TripleFormatError(f"relations CSV: missing column(s) {', '.join(missing)}; "
                                        f"the header needs src, type (or relation), dst, optionally attributes")
        rel = (row.get("type") if "type" in row else row.get("relation") or "").strip()
        messages, attrs = [], {}
        for col, cell in row.items():
            if col in ("src", "dst", "type", "relation") or cell is None or cell.strip() == "":
                continue
            typ = attribute_type(rel, col)
            if typ is None:
                attrs[col] = cell
                continue
            try:
                attrs[col] = coerce_text(cell, typ)
            except ValueError as exc:
                messages.append(f"attribute {col!r}: {exc}")
        r = RelationRow(type=rel, src=(row.get("src") or "").strip(), dst=(row.get("dst") or "").strip(),
                        attributes=attrs, where=f"line {line}")
        rows.append(r)
        if messages:
            errors.append(RowError("relations", r.where, messages))
    return rows, errors


def parse_json(data):
    """A JSON document {"entities": [...], "relations": [...]}. Returns (entities, relations, errors)."""
    try:
        doc = json.loads(_text(data)) if isinstance(data, (bytes, str)) else data
    except ValueError as exc:
        raise TripleFormatError(f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise TripleFormatError("the JSON document must be an object with 'entities' and/or 'relations' lists")
    unknown = set(doc) - {"entities", "relations"}
    if unknown:
        raise TripleFormatError(f"unknown top-level keys {sorted(unknown)}; expected entities, relations")
    ents, rels, errors = [], [], []
    raw_e, raw_r = doc.get("entities", []) or [], doc.get("relations", []) or []
    if not isinstance(raw_e, list) or not isinstance(raw_r, list):
        raise TripleFormatError("'entities' and 'relations' must be lists")
    for i, item in enumerate(raw_e):
        where = f"item {i}"
        if not isinstance(item, dict):
            errors.append(RowError("entities", where, ["must be an object with key, cls, name, attributes"]))
            continue
        extra = set(item) - {"key", "cls", "class", "name", "attributes"}
        if extra:
            errors.append(RowError("entities", where, [f"unknown fields {sorted(extra)}"]))
        ents.append(EntityRow(key=item.get("key"), cls=item.get("cls", item.get("class")), name=item.get("name") or "",
                              attributes=item.get("attributes") or {}, where=where))
    for i, item in enumerate(raw_r):
        where = f"item {i}"
        if not isinstance(item, dict):
            errors.append(RowError("relations", where, ["must be an object with src, type, dst, attributes"]))
            continue
        extra = set(item) - {"src", "type", "relation", "dst", "attributes"}
        if extra:
            errors.append(RowError("relations", where, [f"unknown fields {sorted(extra)}"]))
        rels.append(RelationRow(type=item.get("type", item.get("relation")), src=item.get("src"), dst=item.get("dst"),
                                attributes=item.get("attributes") or {}, where=where))
    return ents, rels, errors


def check_batch(ontology, entities, relations, *, existing_entities, existing_relations=frozenset(),
                errors=None):
    """Checks a batch against the ontology and what the graph already holds.

    existing_entities: key -> class of the graph's entities; existing_relations: set of
    (type, src key, dst key). Returns the list of RowError (empty: the batch may be written).
    """
    errors = list(errors or [])
    batch_classes = {}
    for rows in (entities, relations):
        for i, row in enumerate(rows):  # rows built in code rather than parsed: name them by position
            row.where = row.where or f"item {i}"
    for row in entities:
        msgs = []
        if not isinstance(row.key, str) or not row.key.strip():
            msgs.append("key is required")
        elif len(row.key) > MAX_KEY:
            msgs.append(f"key longer than {MAX_KEY} characters")
        elif row.key in existing_entities:
            msgs.append(f"entity {row.key!r} already exists in this graph")
        elif row.key in batch_classes:
            msgs.append(f"entity {row.key!r} appears twice in this import")
        if not isinstance(row.name, str):
            msgs.append("name must be text")
        elif len(row.name) > MAX_NAME:
            msgs.append(f"name longer than {MAX_NAME} characters")
        if not isinstance(row.cls, str) or not row.cls:
            msgs.append("cls (the entity's class) is required")
        else:
            msgs += ontology.check_entity(row.cls, row.attributes)
        if isinstance(row.key, str) and row.key and row.key not in batch_classes:
            batch_classes[row.key] = row.cls
        if msgs:
            errors.append(RowError("entities", row.where, msgs))
    seen = set()
    for row in relations:
        msgs = []
        classes = []
        for side in ("src", "dst"):
            key = getattr(row, side)
            if not isinstance(key, str) or not key:
                msgs.append(f"{side} (an entity key) is required")
                classes.append(None)
                continue
            cls = batch_classes.get(key, existing_entities.get(key))
            if cls is None:
                msgs.append(f"unknown entity {key!r} ({side}): not in this graph nor in this import")
            classes.append(cls)
        if not isinstance(row.type, str) or not row.type:
            msgs.append("type (the relation) is required")
        elif None not in classes:
            msgs += ontology.check_relation(row.type, classes[0], classes[1], row.attributes)
        elif row.type not in ontology.relations:
            msgs.append(f"unknown relation {row.type!r} in ontology {ontology.name!r}")
        triple = (row.type, row.src, row.dst)
        if not msgs:
            if triple in existing_relations:
                msgs.append(f"relation {row.src} -{row.type}-> {row.dst} already exists in this graph")
            elif triple in seen:
                msgs.append(f"relation {row.src} -{row.type}-> {row.dst} appears twice in this import")
        seen.add(triple)
        if msgs:
            errors.append(RowError("relations", row.where, msgs))
    return errors
