"""The ontologies verticals declare (registry["ontologies"][slug]), parsed and validated.

A malformed ontology is refused with ImproperlyConfigured: when a vertical calls
validate() in its ontology.py (at registration), at the `kg` system check (migrate,
runserver, check) and at the first use of each; it is never used half-valid.
"""
from django.core.exceptions import ImproperlyConfigured

from core.platform.verticals import registry

from .lib.ontology import Ontology, OntologyError

_parsed = {}  # slug -> (id of the spec dict, Ontology)


def validate(spec, name=""):
    """Parse an ONTOLOGY dict; ImproperlyConfigured with the reason when it is malformed.
    Verticals call this at the end of their ontology.py so a mistake fails at start-up."""
    try:
        return Ontology.from_dict(spec, name)
    except OntologyError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def check_ontology(slug, spec):
    """What registry["ontologies"] accepts: a spec that parses; else the reason."""
    try:
        Ontology.from_dict(spec, slug)
    except OntologyError as exc:
        return str(exc)
    return None


def get_ontology(slug) -> Ontology:
    spec = registry["ontologies"].get(slug)
    if spec is None:
        known = ", ".join(sorted(registry["ontologies"])) or "none"
        raise LookupError(f"no ontology registered for vertical {slug!r} (registered: {known})")
    cached = _parsed.get(slug)
    if cached is None or cached[0] is not spec:
        cached = _parsed[slug] = (spec, validate(spec, slug))
    return cached[1]


def registered_slugs():
    return sorted(registry["ontologies"])


def check_registered_ontologies(app_configs=None, **kwargs):
    from django.core import checks

    errors = []
    for slug in registered_slugs():
        try:
            get_ontology(slug)
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(str(exc), id="kg.E001", obj=f"ontology {slug}"))
    return errors
