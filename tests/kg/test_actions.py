"""Writes validate against the ontology, are audited, bump the graph's version, and an
import is all or nothing with every bad row named."""
import pytest
from django.core.exceptions import ValidationError

from core.kg import projection
from core.kg.actions.facts import add_entity, add_relation, delete_entity, update_entity
from core.kg.actions.graphs import create_graph
from core.kg.actions.imports import ImportRejected, import_files
from core.kg.models import Entity, Relation
from core.platform.models import AuditEvent
from core.platform.rest.exceptions import FieldErrors

pytestmark = pytest.mark.django_db


def test_create_graph_needs_a_registered_ontology_and_the_develop_role(plant_ontology, orgs, users):
    with pytest.raises(ValidationError, match="no ontology is registered for vertical 'nope'"):
        create_graph(name="g", organisation=orgs["a"], vertical="nope", acting_user=users["a_dev"])
    with pytest.raises(PermissionError):
        create_graph(name="g", organisation=orgs["a"], vertical="kgtest", acting_user=users["a_viewer"])
    with pytest.raises(PermissionError):
        create_graph(name="g", organisation=orgs["a"], vertical="kgtest", acting_user=users["b_dev"])
    g = create_graph(name="g", organisation=orgs["a"], vertical="kgtest", acting_user=users["hq_dev"])
    assert g.version == 0 and AuditEvent.objects.filter(action="kg.graph.create", object_id=str(g.pk)).exists()


def test_good_triple_accepted_bad_ones_rejected_with_the_reason(graph, users):
    dev = users["a_dev"]
    add_entity(graph, key="site", cls="Site", name="Site", acting_user=dev)
    add_entity(graph, key="p1", cls="Pump", attributes={"power_kw": 7.5}, acting_user=dev, source="manual")
    add_entity(graph, key="s1", cls="Sensor", acting_user=dev)
    rel = add_relation(graph, type="monitors", src="s1", dst="p1", attributes={"channel": 2}, acting_user=dev)
    assert rel.src.key == "s1" and rel.attributes == {"channel": 2}
    graph.refresh_from_db()
    assert graph.version == 4

    cases = [
        (lambda: add_entity(graph, key="x", cls="Robot", acting_user=dev), "unknown class 'Robot'"),
        (lambda: add_entity(graph, key="x", cls="Pump", attributes={"rpm": 3}, acting_user=dev),
         "unknown attribute 'rpm'"),
        (lambda: add_entity(graph, key="x", cls="Pump", attributes={"power_kw": "lots"}, acting_user=dev),
         "expected a number"),
        (lambda: add_entity(graph, key="p1", cls="Pump", acting_user=dev), "already exists"),
        (lambda: add_relation(graph, type="monitors", src="p1", dst="s1", acting_user=dev), "domain mismatch"),
        (lambda: add_relation(graph, type="located_in", src="p1", dst="s1", acting_user=dev), "range mismatch"),
        (lambda: add_relation(graph, type="monitors", src="s1", dst="ghost", acting_user=dev), "unknown entity 'ghost'"),
        (lambda: add_relation(graph, type="drives", src="s1", dst="p1", acting_user=dev), "unknown relation 'drives'"),
        (lambda: add_relation(graph, type="monitors", src="s1", dst="p1", acting_user=dev), "already exists"),
    ]
    for call, reason in cases:
        with pytest.raises(FieldErrors, match=reason):
            call()
    graph.refresh_from_db()
    assert graph.version == 4 and Entity.objects.filter(graph=graph).count() == 3
    with pytest.raises(PermissionError):
        add_entity(graph, key="y", cls="Site", acting_user=users["a_viewer"])


def test_update_and_delete_are_checked_and_audited(graph, users):
    dev = users["a_dev"]
    p = add_entity(graph, key="p1", cls="Pump", acting_user=dev)
    add_entity(graph, key="s1", cls="Sensor", acting_user=dev)
    add_relation(graph, type="monitors", src="s1", dst="p1", acting_user=dev)
    with pytest.raises(FieldErrors, match="unknown attribute"):
        update_entity(p, attributes={"colour": "red"}, acting_user=dev)
    update_entity(p, attributes={"flow_m3h": 3.0}, name="Pump 1", acting_user=dev)
    delete_entity(p, acting_user=dev)
    assert not Relation.objects.filter(graph=graph).exists()
    actions = list(AuditEvent.objects.filter(action__startswith="kg.").order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["kg.entity.update", "kg.entity.delete"]
    assert AuditEvent.objects.get(action="kg.entity.delete").data["relations_deleted"] == 1


def test_json_import_is_all_or_nothing_with_per_row_errors(graph, users):
    doc = b"""{"entities": [
        {"key": "site", "cls": "Site"},
        {"key": "m1", "cls": "Machine", "attributes": {"power_kw": 3}},
        {"key": "m2", "cls": "Robot"},
        {"key": "m1", "cls": "Machine"}],
      "relations": [
        {"src": "m1", "type": "located_in", "dst": "site"},
        {"src": "site", "type": "located_in", "dst": "m1"},
        {"src": "m1", "type": "feeds", "dst": "nowhere"}]}"""
    with pytest.raises(ImportRejected) as info:
        import_files(graph, json_data=doc, acting_user=users["a_dev"])
    rows = {(r["section"], r["row"]): r["errors"] for r in info.value.rows}
    assert set(rows) == {("entities", "item 2"), ("entities", "item 3"), ("relations", "item 1"),
                         ("relations", "item 2")}
    assert "unknown class 'Robot'" in rows["entities", "item 2"][0]
    assert "appears twice" in rows["entities", "item 3"][0]
    assert any("domain mismatch" in m for m in rows["relations", "item 1"])
    assert "unknown entity 'nowhere'" in rows["relations", "item 2"][0]
    assert info.value.errors["entities item 2"] == rows["entities", "item 2"]
    assert not Entity.objects.filter(graph=graph).exists()
    graph.refresh_from_db()
    assert graph.version == 0


def test_csv_import_coerces_types_and_writes_one_audit_event(graph, users):
    before = AuditEvent.objects.count()
    entities = (b"key,cls,name,power_kw,units,active,code\n"
                b"site,Site,North,,,,N1\n"
                b"m1,Machine,Mixer,7.5,2,yes,\n"
                b"p1,Pump,Feed pump,1.5,,false,\n")
    relations = b"src,type,dst,via\nm1,located_in,site,\np1,feeds,m1,pipe 4\n"
    result = import_files(graph, entities_csv=entities, relations_csv=relations, acting_user=users["a_dev"],
                          source="plant.csv")
    assert result["entities"] == 3 and result["relations"] == 2 and result["version"] == 1
    m1 = Entity.objects.get(graph=graph, key="m1")
    assert m1.attributes == {"power_kw": 7.5, "units": 2, "active": True} and m1.source == "plant.csv"
    assert Relation.objects.get(graph=graph, type="feeds").attributes == {"via": "pipe 4"}
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == ["kg.import"]
    assert events[0].data["entities"] == 3 and len(events[0].data["entities_sha256"]) == 64

    bad = b"key,cls,power_kw\nm9,Machine,fast\nm1,Machine,1\n"
    with pytest.raises(ImportRejected) as info:
        import_files(graph, entities_csv=bad, acting_user=users["a_dev"])
    assert info.value.errors["entities line 2"] == ["attribute 'power_kw': 'fast' is not a number"]
    assert "already exists" in info.value.errors["entities line 3"][0]
    with pytest.raises(FieldErrors, match="missing column"):
        import_files(graph, entities_csv=b"name\nx\n", acting_user=users["a_dev"])


def test_projection_is_rebuilt_when_the_version_moves(chain_graph, users):
    projection.clear()
    builds = projection.stats["builds"]
    g1 = projection.projection(chain_graph)
    assert g1.number_of_nodes() == 7 and g1.number_of_edges() == 6
    assert g1.nodes["m1"]["cls"] == "Pump" and g1.nodes["m1"]["attributes"] == {"power_kw": 10.0}
    assert projection.projection(chain_graph.pk) is g1  # cached: same version
    assert projection.stats["builds"] == builds + 1
    add_entity(chain_graph, key="m9", cls="Machine", acting_user=users["a_dev"])
    g2 = projection.projection(chain_graph)
    assert g2 is not g1 and "m9" in g2 and "m9" not in g1
    assert g2.graph["version"] == projection.cached_version(chain_graph.pk) == g1.graph["version"] + 1
    assert projection.stats["builds"] == builds + 2


def test_projection_never_serves_a_deleted_graph_whose_id_was_reused(chain_graph, orgs, users):
    old = projection.projection(chain_graph)
    assert old.number_of_nodes() == 7
    chain_graph.delete()  # SQLite hands the highest id out again
    fresh = create_graph(name="plant", organisation=orgs["a"], vertical="kgtest", acting_user=users["a_dev"])
    add_entity(fresh, key="only", cls="Site", acting_user=users["a_dev"])
    assert list(projection.projection(fresh).nodes) == ["only"]
