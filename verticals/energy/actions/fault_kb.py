"""Energy writes: loading the dispatch fault knowledge base (lib/fault_kb.py) into a
graph, as one audited core.kg import."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from core.kg.actions.graphs import create_graph
from core.kg.actions.imports import import_triples
from core.kg.lib.triples import parse_json
from core.kg.models import Entity, Graph

from ..lib import diagnosis
from ..lib.fault_kb import KB_FILE, read_kb

DEFAULT_GRAPH = "dispatch-faults"


def load_fault_kb(*, organisation, acting_user, name=None, into=None, path=None):
    """Imports the fault knowledge base as a new energy graph `name` (default
    dispatch-faults), or into the existing energy graph `into` (e.g. a grid, so one graph
    holds the network and the dispatch knowledge). All or nothing, audited.
    Returns (graph, figures); figures["entities"] == 0 when `into` already holds it."""
    try:
        doc = read_kb(path)
    except diagnosis.KBError as exc:
        raise ValidationError({"file": exc.problems}) from None
    source = f"fault knowledge base {Path(path).name if path else KB_FILE.name}"
    entities, relations, errors = parse_json(doc)
    keys = [e.key for e in entities]
    with transaction.atomic():
        if into:
            graph = Graph.objects.filter(organisation=organisation, name=into).first()
            if graph is None:
                raise ValidationError({"into": f"{organisation} has no knowledge graph named {into!r}"})
            if graph.vertical != "energy":
                raise ValidationError({"into": f"graph {into!r} is typed by the {graph.vertical!r} ontology, not energy"})
            present = Entity.objects.filter(graph=graph, key__in=keys).count()
            if present == len(keys):
                return graph, {"graph": graph.pk, "entities": 0, "relations": 0, "version": graph.version,
                               "already_loaded": True}
            if present:
                raise ValidationError({"into": f"graph {into!r} already holds {present} of the {len(keys)} "
                                               f"knowledge-base entities; remove them or load into another graph"})
        else:
            name = name or DEFAULT_GRAPH
            if Graph.objects.filter(organisation=organisation, name=name).exists():
                raise ValidationError({"name": f"{organisation} already has a knowledge graph named {name!r}"})
            graph = create_graph(name=name, organisation=organisation, vertical="energy", acting_user=acting_user,
                                 description="Dispatch fault knowledge base: faults, alarms and symptoms, "
                                             "handling procedures (调度故障知识库)")
        figures = import_triples(graph, entities=entities, relations=relations, acting_user=acting_user,
                                 source=source, parse_errors=errors, audit_data={"fault_kb": True})
    graph.refresh_from_db()
    return graph, figures
