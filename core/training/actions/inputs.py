"""What a job reads, held to the job's organisation: checked when the job is
submitted (check_inputs, from submit_job) and again in the worker when the trainer
resolves each input (JobContext.dataset_version / target_model / graph), because
the world can change in between and a trainer must not be able to forget.

Inputs are job parameters known by name; a trainer that reads another object by id
adds its key to INPUTS so both checks cover it."""
from django.core.exceptions import ValidationError

from core.platform import access
from core.platform.lib import roles


class InputOutOfLine(PermissionError):
    """A job named an object its organisation may not read."""


def dataset_version(pk, *, organisation, acting_user=None):
    """Data may flow down the tree and up it, never between siblings; and the person
    who started the job must be able to read it themselves (a job is no way round the
    read rule: its run records the data's name, hash and statistics)."""
    from core.data.models import DatasetVersion

    dv = (DatasetVersion.objects.select_related("dataset__organisation", "artifact")
          .filter(pk=parse_input_id("dataset_version", pk)).first())
    if dv is None:
        raise LookupError(f"no dataset version {pk}")
    if not access.in_line(organisation, dv.dataset.organisation):
        raise InputOutOfLine("the dataset belongs to an organisation outside this job's line")
    if acting_user is not None and not access.can(acting_user, roles.READ, dv.dataset.organisation):
        raise InputOutOfLine(f"{acting_user} may not read the dataset's organisation")
    return dv


def target_model(pk, *, organisation, acting_user=None):
    """A job registers versions only of a model of its own organisation."""
    from core.hub.models import RegisteredModel

    model = RegisteredModel.objects.select_related("organisation").filter(pk=parse_input_id("model_id", pk)).first()
    if model is None:
        raise LookupError(f"no model {pk}")
    if model.organisation_id != organisation.pk:
        raise InputOutOfLine(f"model {pk} does not belong to {organisation}")
    return model


def pretrained(value, *, organisation, acting_user=None):
    """A preset backbone to start from: "auto", "none" or a preset version the job's
    organisation sees (core/training/presets.py)."""
    from ..presets import resolve

    return resolve(value, organisation=organisation, acting_user=acting_user)


INPUTS = {"dataset_version": dataset_version, "model_id": target_model, "pretrained": pretrained}


def register_input(key, resolve):
    """An app above training (the knowledge graph) adds a job input it owns, so that
    submission checks it without training importing that app."""
    if key in INPUTS and INPUTS[key] is not resolve:
        raise ValueError(f"job input {key!r} is already registered")
    INPUTS[key] = resolve


def check_inputs(params, *, organisation, acting_user=None):
    """Every input a job names must exist and be readable by the job's organisation.
    Refused with the same message whether the object is missing or another
    organisation's, so a refusal tells nobody what exists elsewhere."""
    errors = {}
    for key, resolve in INPUTS.items():
        value = (params or {}).get(key)
        if value in (None, ""):
            continue
        try:
            resolve(value, organisation=organisation, acting_user=acting_user)
        except (LookupError, PermissionError, ValueError):
            errors[key] = f"no {key.replace('_id', '').replace('_', ' ')} {value} available to jobs of {organisation}"
    if errors:
        raise ValidationError({"params": [f"{k}: {v}" for k, v in errors.items()]})


def parse_input_id(key, value):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"params.{key} must be an id")
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise ValueError(f"params.{key} must be an id")
    return int(text)
