"""Ontologies are validated when declared; a triple is checked against them with the reason."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from core.kg.lib.ontology import Ontology, coerce_text
from core.kg.ontologies import get_ontology, validate
from core.platform.verticals import registry

from .conftest import PLANT


def onto():
    return Ontology.from_dict(PLANT, "kgtest")


@pytest.mark.parametrize("spec, reason", [
    ({"classes": {"A": {"parent": "Nope"}}}, "unknown parent 'Nope'"),
    ({"classes": {"A": {}}, "relations": {"r": {"domain": "B", "range": "A"}}}, "domain names unknown class 'B'"),
    ({"classes": {"A": {}}, "relations": {"r": {"domain": "A", "range": ["A", "C"]}}}, "range names unknown class 'C'"),
    ({"classes": {"A": {"parent": "B"}, "B": {"parent": "A"}}}, "inherits from itself"),
    ({"classes": {"A": {"attributes": {"x": "decimal"}}}}, "unknown type 'decimal'"),
    ({"classes": {"bad name": {}}}, "must match"),
    ({"classes": {"A": {"attributes": {"x": "int"}}, "B": {"parent": "A", "attributes": {"x": "str"}}}},
     "redeclares attribute 'x'"),
    ({"class": {}}, "unknown keys ['class']"),
])
def test_malformed_ontology_is_refused_with_the_reason(spec, reason):
    with pytest.raises(ImproperlyConfigured, match=reason.replace("[", r"\[").replace("]", r"\]")):
        validate(spec, "broken")


def test_a_registered_malformed_ontology_fails_its_first_use_and_the_system_check():
    from core.kg.ontologies import check_registered_ontologies

    registry["ontologies"]["kgbroken"] = {"classes": {"A": {"parent": "Missing"}}}
    try:
        with pytest.raises(ImproperlyConfigured, match="unknown parent"):
            get_ontology("kgbroken")
        assert [e.id for e in check_registered_ontologies()] == ["kg.E001"]
    finally:
        registry["ontologies"].pop("kgbroken")
    assert check_registered_ontologies() == []  # every installed vertical's ontology is valid


def test_good_triples_are_accepted_with_inheritance():
    o = onto()
    assert o.check_entity("Pump", {"power_kw": 5, "flow_m3h": 2.5, "note": "inherited from Thing"}) == []
    assert o.check_relation("feeds", "Pump", "Machine", {"via": "pipe 3"}) == []  # Pump is a Machine
    assert o.check_relation("related", "Site", "Sensor") == []  # no domain/range: any class
    assert o.subclasses("Machine") == {"Machine", "Pump"}


def test_bad_triples_are_rejected_with_the_reason():
    o = onto()
    assert o.check_entity("Robot") == ["unknown class 'Robot' in ontology 'kgtest'"]
    assert "unknown attribute 'colour'" in o.check_entity("Machine", {"colour": "red"})[0]
    assert "expected a number, got str" in o.check_entity("Machine", {"power_kw": "high"})[0]
    assert "expected an integer, got bool" in o.check_entity("Machine", {"units": True})[0]
    assert "not an ISO 8601" in o.check_entity("Sensor", {"installed": "yesterday"})[0]
    assert o.check_relation("drives", "Machine", "Machine") == ["unknown relation 'drives' in ontology 'kgtest'"]
    (reason,) = o.check_relation("monitors", "Machine", "Machine")
    assert "domain mismatch" in reason and "Sensor" in reason
    (reason,) = o.check_relation("located_in", "Pump", "Machine")
    assert "range mismatch" in reason and "Site" in reason
    assert "expected an integer" in o.check_relation("monitors", "Sensor", "Pump", {"channel": "one"})[0]


def test_csv_cells_are_coerced_to_the_declared_type():
    assert coerce_text(" 3 ", "int") == 3
    assert coerce_text("2.5", "float") == 2.5
    assert coerce_text("yes", "bool") is True
    with pytest.raises(ValueError, match="not a number"):
        coerce_text("abc", "float")
    with pytest.raises(ValueError, match="not a finite"):
        coerce_text("nan", "float")
