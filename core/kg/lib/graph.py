"""The in-memory shape of a knowledge graph: a networkx MultiDiGraph whose nodes are
entity keys (attributes: cls, name, id, attributes) and whose edges run src -> dst,
keyed by relation id (attributes: type, attributes). Pure: no Django."""
import networkx as nx


def build(entities, relations):
    """entities: iterable of (id, key, cls, name, attributes); relations: iterable of
    (id, type, src key, dst key, attributes)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from((key, {"id": eid, "cls": cls, "name": name, "attributes": attrs or {}})
                     for eid, key, cls, name, attrs in entities)
    g.add_edges_from((src, dst, rid, {"type": typ, "attributes": attrs or {}})
                     for rid, typ, src, dst, attrs in relations)
    return g


def from_rows(entity_rows, relation_rows):
    """A graph straight from parsed rows (EntityRow / RelationRow), without a database."""
    return build(((i, e.key, e.cls, e.name, e.attributes) for i, e in enumerate(entity_rows)),
                 ((i, r.type, r.src, r.dst, r.attributes) for i, r in enumerate(relation_rows)))
