"""Translated names for the lineage vocabulary, which core.hub keeps as plain keys."""
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "dataset_version": _("Dataset version"),
    "training_run": _("Training run"),
    "model_version": _("Model version"),
    "deployment": _("Deployment"),
    "prediction": _("Prediction"),
}

# One colour per kind, shared by the chart and the legend chips in the node table.
KIND_COLOURS = {
    "dataset_version": "#2f7ed8",
    "training_run": "#8e5ad6",
    "model_version": "#e8871e",
    "deployment": "#1e9e6a",
    "prediction": "#7a8896",
}

RELATION_LABELS = {
    "input_to": _("input to"),
    "produced": _("produced"),
    "deployed_as": _("deployed as"),
    "served": _("served"),
    "derived_from": _("derived from"),
    "evaluated_on": _("evaluated on"),
}

# The keys core.hub.graph puts in each node's detail.
DETAIL_LABELS = {
    "dataset": _("Dataset"),
    "version": _("Version"),
    "sha256": "SHA-256",
    "records": _("Records"),
    "job": _("Job"),
    "trainer": _("Trainer"),
    "code_revision": _("Code revision"),
    "seed": _("Seed"),
    "model": _("Model"),
    "artifact": _("Artifact"),
    "metrics": _("Metrics"),
    "name": _("Name"),
    "profile": _("Profile"),
    "status": _("Status"),
    "deployment": _("Deployment"),
    "model_version": _("Model version"),
    "at": _("Time"),
    "input_sha256": _("Input SHA-256"),
}
HASH_KEYS = {"sha256", "artifact", "input_sha256"}

DIRECTION_LABELS = {
    "both": _("Both directions"),
    "upstream": _("Upstream (where it came from)"),
    "downstream": _("Downstream (what it produced)"),
}


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def relation_label(relation):
    return RELATION_LABELS.get(relation, relation)
