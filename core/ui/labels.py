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

DIRECTION_LABELS = {
    "both": _("Both directions"),
    "upstream": _("Upstream (where it came from)"),
    "downstream": _("Downstream (what it produced)"),
}


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def relation_label(relation):
    return RELATION_LABELS.get(relation, relation)
