"""Ontologies: the classes and relations a vertical declares, and the checks a triple
must pass against them. Pure: no Django.

A vertical's ONTOLOGY is a dict:

    {"classes": {"Bus": {"parent": "Asset", "attributes": {"vn_kv": "float"}}, ...},
     "relations": {"connects": {"domain": ["Line", "Transformer"], "range": "Bus",
                                "attributes": {"side": "str"}}, ...}}

A class inherits its parent's attributes; a relation's domain and range accept the
named classes and their subclasses ("*" or a missing key: any class). Attribute types:
str, int, float, bool, datetime (ISO 8601 text), json (anything JSON holds).
"""
import math
import re
from dataclasses import dataclass, field
from datetime import datetime

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
ATTR_RE = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
TYPES = ("str", "int", "float", "bool", "datetime", "json")
ANY = "*"


class OntologyError(ValueError):
    """The ontology itself is malformed (raised when it is declared)."""


def _type_error(value, typ):
    """None when `value` fits `typ`, else the reason."""
    if typ == "json":
        return None
    if typ == "str":
        return None if isinstance(value, str) else f"expected text, got {type(value).__name__}"
    if typ == "bool":
        return None if isinstance(value, bool) else f"expected true/false, got {type(value).__name__}"
    if typ == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else \
            f"expected an integer, got {type(value).__name__}"
    if typ == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {type(value).__name__}"
        return None if math.isfinite(value) else "expected a finite number"
    if typ == "datetime":
        if not isinstance(value, str):
            return f"expected an ISO 8601 date-time text, got {type(value).__name__}"
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not an ISO 8601 date-time"
        return None
    return f"unknown type {typ!r}"


def coerce_text(value: str, typ: str):
    """A CSV cell as the declared type; raises ValueError with the reason."""
    text = value.strip()
    if typ in ("str", "datetime"):
        return text
    if typ == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
    if typ == "float":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{text!r} is not a finite number")
        return number
    if typ == "bool":
        low = text.lower()
        if low in ("true", "1", "yes", "y", "t"):
            return True
        if low in ("false", "0", "no", "n", "f"):
            return False
        raise ValueError(f"{text!r} is not true/false")
    if typ == "json":
        import json

        try:
            return json.loads(text)
        except ValueError:
            return text
    raise ValueError(f"unknown type {typ!r}")


@dataclass(frozen=True)
class ClassDef:
    name: str
    parent: str | None
    own_attributes: dict
    description: str = ""


@dataclass(frozen=True)
class RelationDef:
    name: str
    domain: tuple  # class names; () = any
    range: tuple
    attributes: dict
    description: str = ""


def _attributes(spec, where):
    attrs = spec.get("attributes", {}) or {}
    if not isinstance(attrs, dict):
        raise OntologyError(f"{where}: attributes must be a dict of name -> type")
    for attr, typ in attrs.items():
        if not isinstance(attr, str) or not ATTR_RE.match(attr):
            raise OntologyError(f"{where}: attribute name {attr!r} must match {ATTR_RE.pattern}")
        if typ not in TYPES:
            raise OntologyError(f"{where}: attribute {attr!r} has unknown type {typ!r}; types are {', '.join(TYPES)}")
    return dict(attrs)


def _class_list(value, where, classes):
    if value is None or value == ANY:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not names or not all(isinstance(n, str) for n in names):
        raise OntologyError(f"{where} must be a class name or a list of class names")
    for name in names:
        if name not in classes:
            raise OntologyError(f"{where} names unknown class {name!r}")
    return tuple(names)


@dataclass
class Ontology:
    name: str
    classes: dict = field(default_factory=dict)    # name -> ClassDef
    relations: dict = field(default_factory=dict)  # name -> RelationDef
    _ancestors: dict = field(default_factory=dict, repr=False)
    _attributes: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, spec, name=""):
        where = f"ontology {name!r}" if name else "ontology"
        if not isinstance(spec, dict):
            raise OntologyError(f"{where} must be a dict, got {type(spec).__name__}")
        unknown = set(spec) - {"classes", "relations", "description"}
        if unknown:
            raise OntologyError(f"{where}: unknown keys {sorted(unknown)}; expected classes, relations")
        raw_classes = spec.get("classes") or {}
        raw_relations = spec.get("relations") or {}
        if not isinstance(raw_classes, dict) or not isinstance(raw_relations, dict):
            raise OntologyError(f"{where}: classes and relations must be dicts keyed by name")
        onto = cls(name=name)
        for cname, cspec in raw_classes.items():
            if not isinstance(cname, str) or not NAME_RE.match(cname):
                raise OntologyError(f"{where}: class name {cname!r} must match {NAME_RE.pattern}")
            cspec = cspec or {}
            if not isinstance(cspec, dict):
                raise OntologyError(f"{where}: class {cname!r} must be a dict")
            extra = set(cspec) - {"parent", "attributes", "description"}
            if extra:
                raise OntologyError(f"{where}: class {cname!r} has unknown keys {sorted(extra)}")
            onto.classes[cname] = ClassDef(cname, cspec.get("parent"), _attributes(cspec, f"{where} class {cname!r}"),
                                           str(cspec.get("description", "")))
        for cdef in onto.classes.values():
            if cdef.parent is not None and cdef.parent not in onto.classes:
                raise OntologyError(f"{where}: class {cdef.name!r} has unknown parent {cdef.parent!r}")
        for cname in onto.classes:
            chain, seen, current = [], set(), cname
            while current is not None:
                if current in seen:
                    raise OntologyError(f"{where}: class {cname!r} inherits from itself ({' -> '.join(chain)})")
                seen.add(current)
                chain.append(current)
                current = onto.classes[current].parent
            onto._ancestors[cname] = tuple(chain)
            merged = {}
            for ancestor in reversed(chain):
                for attr, typ in onto.classes[ancestor].own_attributes.items():
                    if attr in merged and merged[attr] != typ:
                        raise OntologyError(f"{where}: class {ancestor!r} redeclares attribute {attr!r} as {typ}, "
                                            f"inherited as {merged[attr]}")
                    merged[attr] = typ
            onto._attributes[cname] = merged
        for rname, rspec in raw_relations.items():
            if not isinstance(rname, str) or not NAME_RE.match(rname):
                raise OntologyError(f"{where}: relation name {rname!r} must match {NAME_RE.pattern}")
            rspec = rspec or {}
            if not isinstance(rspec, dict):
                raise OntologyError(f"{where}: relation {rname!r} must be a dict")
            extra = set(rspec) - {"domain", "range", "attributes", "description"}
            if extra:
                raise OntologyError(f"{where}: relation {rname!r} has unknown keys {sorted(extra)}")
            rwhere = f"{where} relation {rname!r}"
            onto.relations[rname] = RelationDef(
                rname, _class_list(rspec.get("domain"), f"{rwhere} domain", onto.classes),
                _class_list(rspec.get("range"), f"{rwhere} range", onto.classes),
                _attributes(rspec, rwhere), str(rspec.get("description", "")))
        return onto

    # -- queries --------------------------------------------------------------
    def is_a(self, cls_name, ancestor):
        return ancestor in self._ancestors.get(cls_name, ())

    def attributes_of(self, cls_name):
        return self._attributes[cls_name]

    def subclasses(self, cls_name):
        """The class and every class below it."""
        return {c for c, chain in self._ancestors.items() if cls_name in chain}

    # -- checks: each returns a list of reasons, empty when the triple fits -------
    def _check_attrs(self, declared, attributes, what):
        if attributes is None:
            return []
        if not isinstance(attributes, dict):
            return [f"attributes of {what} must be an object, got {type(attributes).__name__}"]
        errors = []
        for attr, value in attributes.items():
            if attr not in declared:
                known = ", ".join(sorted(declared)) or "none"
                errors.append(f"unknown attribute {attr!r} for {what} (declared: {known})")
                continue
            if value is None:
                continue  # absent value
            problem = _type_error(value, declared[attr])
            if problem:
                errors.append(f"attribute {attr!r} of {what}: {problem}")
        return errors

    def check_entity(self, cls_name, attributes=None):
        if cls_name not in self.classes:
            return [f"unknown class {cls_name!r} in ontology {self.name!r}"]
        return self._check_attrs(self._attributes[cls_name], attributes, f"class {cls_name!r}")

    def check_relation(self, rel, src_cls, dst_cls, attributes=None):
        rdef = self.relations.get(rel)
        if rdef is None:
            return [f"unknown relation {rel!r} in ontology {self.name!r}"]
        errors = []
        if rdef.domain and not any(self.is_a(src_cls, d) for d in rdef.domain):
            errors.append(f"relation {rel!r} needs a source of class {' or '.join(rdef.domain)}, "
                          f"got {src_cls!r} (domain mismatch)")
        if rdef.range and not any(self.is_a(dst_cls, r) for r in rdef.range):
            errors.append(f"relation {rel!r} needs a target of class {' or '.join(rdef.range)}, "
                          f"got {dst_cls!r} (range mismatch)")
        return errors + self._check_attrs(rdef.attributes, attributes, f"relation {rel!r}")

    def attribute_type(self, *, cls_name=None, relation=None, attr):
        declared = self._attributes.get(cls_name, {}) if cls_name else \
            (self.relations[relation].attributes if relation in self.relations else {})
        return declared.get(attr)

    def to_dict(self):
        return {
            "classes": {c.name: {"parent": c.parent, "attributes": dict(c.own_attributes),
                                 "all_attributes": dict(self._attributes[c.name]),
                                 **({"description": c.description} if c.description else {})}
                        for c in self.classes.values()},
            "relations": {r.name: {"domain": list(r.domain) or ANY, "range": list(r.range) or ANY,
                                   "attributes": dict(r.attributes),
                                   **({"description": r.description} if r.description else {})}
                          for r in self.relations.values()},
        }
