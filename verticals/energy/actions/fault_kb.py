"""The dispatch fault knowledge base: loading it into a graph (an audited core.kg import)
and diagnosing observed alarms against a graph that holds it (lib/diagnosis.py).

The shipped base, data/dispatch_faults.json, holds 20 fault types, 60 alarms and
symptoms and 20 handling procedures with their steps, in Chinese and English.
"""
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from core.api.exceptions import FieldErrors
from core.kg.actions.graphs import create_graph
from core.kg.actions.imports import import_triples
from core.kg.lib.triples import parse_json
from core.kg.models import Entity, Graph
from core.kg.ontologies import get_ontology
from core.kg.projection import projection

from .lib import diagnosis

KB_FILE = Path(__file__).resolve().parent / "data" / "dispatch_faults.json"
DEFAULT_GRAPH = "dispatch-faults"
MAX_SYMPTOMS = 20
MAX_SYMPTOM_CHARS = 200


def read_kb(path=None):
    """The knowledge-base document as triples ({entities, relations}); KBError when malformed."""
    path = Path(path) if path else KB_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise diagnosis.KBError([f"cannot read {path}: {exc}"]) from None
    return diagnosis.kb_to_triples(doc)


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


def _model(graph):
    onto = get_ontology(graph.vertical)
    model = diagnosis.fault_model(projection(graph), is_a=onto.is_a)
    if model.empty:
        raise FieldErrors({"graph": [f"graph {graph.name!r} holds no fault knowledge (no alarm indicates a fault); "
                                     f"load it with: manage.py load_fault_kb --organisation "
                                     f"{graph.organisation.code} --into {graph.name}"]})
    return model


def _link_symptoms(graph, texts, lang):
    """Alarm keys for free-text symptoms, linked by name and sentence embedding."""
    from core.kg import embeddings
    from core.kg.lib import qa

    if not isinstance(texts, list) or len(texts) > MAX_SYMPTOMS:
        raise FieldErrors({"symptoms": [f"symptoms must be a list of at most {MAX_SYMPTOMS} texts"]})
    index = embeddings.qa_index(graph)
    keys, linked, unknown = [], [], []
    for text in texts:
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_SYMPTOM_CHARS:
            raise FieldErrors({"symptoms": [f"each symptom must be text of 1..{MAX_SYMPTOM_CHARS} characters"]})
        found = qa.link(index, text, classes=diagnosis.ALARM_CLASSES, limit=1)
        if not found:
            unknown.append(text)
            continue
        keys.append(found[0]["key"])
        linked.append({"text": text, "alarm": found[0]["key"], "score": found[0]["score"],
                       "label": diagnosis.display_name(index.g.nodes[found[0]["key"]], lang)})
    if unknown:
        raise FieldErrors({"symptoms": [f"no alarm or symptom of the knowledge base matches {t!r}" for t in unknown]})
    return keys, linked


def diagnose(graph, *, alarms=(), absent=(), symptoms=(), top=5, lang="en"):
    """Ranked probable faults for the observed alarms (keys, codes or names) and free-text
    symptoms, with evidence paths and handling procedures (see lib/diagnosis.rank)."""
    model = _model(graph)
    try:
        observed = diagnosis.resolve(model, list(alarms or []), "alarms")
        negative = diagnosis.resolve(model, list(absent or []), "absent")
    except diagnosis.DiagnosisError as exc:
        errors = {exc.field: [str(exc)]}
        if exc.suggestions:
            errors["suggestions"] = [f"{k}: {', '.join(v)}" for k, v in exc.suggestions.items() if v]
        raise FieldErrors(errors, str(exc)) from None
    linked = []
    if symptoms:
        keys, linked = _link_symptoms(graph, list(symptoms), lang)
        observed += [k for k in keys if k not in observed]
    try:
        result = diagnosis.rank(model, observed, absent=negative, top=top, lang=lang)
    except diagnosis.DiagnosisError as exc:
        raise FieldErrors({exc.field: [str(exc)]}, str(exc)) from None
    return {"graph": graph.pk, "version": model.graph.graph.get("version"), "linked_symptoms": linked, **result}
