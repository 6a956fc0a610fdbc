"""One tag per API operation, from its URL: /api/v1/<vertical slug>/... carries the
vertical's title (from the vertical registry), a core path its area's. Done here once, as
a drf-spectacular postprocessing hook, so no view declares tags and a new vertical is
grouped without an edit."""
from django.utils import translation

from core.platform.verticals import registry

PREFIX = "/api/v1/"

# The first path segment of a core API -> (tag, description).
CORE_AREAS = {
    "auth": ("Authentication", "Tokens for API clients: POST credentials for one, DELETE to revoke yours."),
    "me": ("Authentication", None),
    "organisations": ("Organisations & audit",
                      "The organisation tree, its members and their roles; the signed audit trail."),
    "audit": ("Organisations & audit", None),
    "verticals": ("Organisations & audit", None),
    "models": ("Models & versions", ("The model hub: models, their versions, aliases and the maker-checker "
                                     "requests that move a guarded alias.")),
    "versions": ("Models & versions", None),
    "alias-requests": ("Models & versions", None),
    "artifacts": ("Artifacts", "Content-addressed files (weights, bundles, evidence), named by their SHA-256."),
    "lineage": ("Lineage", ("Where a dataset version, run, model version, deployment or prediction came from "
                            "and what it led to.")),
    "datasets": ("Datasets", ("Datasets and their immutable versions (tables and COCO image sets), their samples, "
                              "diffs and exports; labelling projects and tasks.")),
    "label-projects": ("Datasets", None),
    "label-tasks": ("Datasets", None),
    "jobs": ("Jobs & training", ("Training jobs on the queue, their runs and how to reproduce them; studies that "
                                 "search a recipe's hyper-parameters trial by trial, and the recipes.")),
    "trainers": ("Jobs & training", None),
    "training-runs": ("Jobs & training", None),
    "studies": ("Jobs & training", None),
    "recipes": ("Jobs & training", None),
    "deployments": ("Deployments & predictions", ("Deployments of a model version under a runtime profile, "
                                                  "predictions through them and their records.")),
    "profiles": ("Deployments & predictions", None),
    "kg": ("Knowledge graph", "Graphs, entities and relations, path queries and questions in plain words."),
}


def tag_of(path):
    """(tag, description or None) of an operation's path."""
    segment = path[len(PREFIX):].split("/", 1)[0] if path.startswith(PREFIX) else ""
    vertical = registry["verticals"].get(segment)
    if vertical is not None:
        with translation.override("en"):  # the schema is one document, in English
            return str(vertical.title), str(vertical.description)
    # An unmapped area still gets a tag of its own; tests/api/test_schema.py fails on one without a description.
    return CORE_AREAS.get(segment, (segment.replace("-", " ").capitalize() or "Other", None))


def group_by_area(result, generator, request, public):
    """Sets each operation's one tag and lists the tags with their descriptions: the core
    areas in the order above, then the verticals by title."""
    described = {}
    for path, operations in result.get("paths", {}).items():
        tag, description = tag_of(path)
        for operation in operations.values():
            operation["tags"] = [tag]
        described[tag] = described.get(tag) or description
    core_order = list(dict.fromkeys(tag for tag, _ in CORE_AREAS.values()))
    names = sorted(described, key=lambda name: (core_order.index(name) if name in core_order else len(core_order),
                                                name))
    result["tags"] = [{"name": name, **({"description": described[name]} if described[name] else {})}
                      for name in names]
    return result
