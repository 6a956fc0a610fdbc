"""Read-only grid questions: outage analysis and restoration plans on a grid's graph, the
fault incidents a user may see, and fault diagnosis over a graph holding the dispatch
fault knowledge base (lib/diagnosis.py)."""
from core.kg.ontologies import get_ontology
from core.kg.projection import projection
from core.platform.rest.exceptions import FieldErrors

from .lib import diagnosis, restoration

MAX_SYMPTOMS = 20
MAX_SYMPTOM_CHARS = 200


def outage_plan(grid, tripped, *, verify=True):
    """The outage and its restoration plan on the grid's graph; verified by default with a
    power flow of the shipped case, trying the alternatives when the one-tie plan fails
    (restoration.plan)."""
    topo = restoration.topology(projection(grid.graph))
    check = None
    if verify:
        from .lib import powerflow
        from .lib.grid_import import load_case

        tripped = [tripped] if isinstance(tripped, str) else list(tripped)
        check = powerflow.plan_checker(load_case(grid.case), tripped)
    return restoration.plan(topo, tripped, check=check)


def visible_faults(user):
    """Fault incidents on the grids `user` may see (by organisation subtree)."""
    from core.kg.queries import visible_graphs

    from .models import FaultIncident

    return (FaultIncident.objects.filter(grid__graph__in=visible_graphs(user))
            .select_related("grid__graph__organisation", "opened_by", "cleared_by"))


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
    from core.kg.lib.qa.linking import link

    if not isinstance(texts, list) or len(texts) > MAX_SYMPTOMS:
        raise FieldErrors({"symptoms": [f"symptoms must be a list of at most {MAX_SYMPTOMS} texts"]})
    index = embeddings.qa_index(graph)
    keys, linked, unknown = [], [], []
    for text in texts:
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_SYMPTOM_CHARS:
            raise FieldErrors({"symptoms": [f"each symptom must be text of 1..{MAX_SYMPTOM_CHARS} characters"]})
        found = link(index, text, classes=diagnosis.ALARM_CLASSES, limit=1)
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
