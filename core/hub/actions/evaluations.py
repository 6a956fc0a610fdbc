"""Evaluation records: how a model version did on a dataset version, written once."""
from django.db import transaction

from core.platform import access
from core.platform.actions.audit import record
from core.platform.errors import BadInput, TooLarge
from core.platform.lib import roles

from .. import lineage
from ..lib import evaluation_schema as schema
from ..models import Evaluation


class InvalidEvaluation(BadInput):
    pass


class EvaluationTooLarge(TooLarge):
    pass


def record_evaluation(version, *, kind, dataset_version=None, summary, report, images=None, split="",
                      acting_user):
    """Keep one evaluation of `version`: `summary` ({name: number}) and `report` (the page's
    payload, checked against `kind`'s shape; at most 2 MB of JSON), measured on
    `dataset_version` (a DatasetVersion or its id; None when the data is not a dataset version
    the platform holds), `split` saying which part of it. `images`: the path of a zip of the
    thumbnails the report names (rows' "image"), stored as an artifact. Audited, and linked in
    lineage as dataset version -evaluated_on-> version. Returns the Evaluation."""
    organisation = version.model.organisation
    access.require(acting_user, roles.DEVELOP, organisation, "record evaluations")
    try:
        referenced = schema.validate(kind, summary, report, split)
        if images is None and referenced:
            raise schema.InvalidEvaluation(f"the report names {len(referenced)} thumbnails but no zip holds them",
                                           "images")
        if images is not None:
            schema.check_images(images, referenced)
    except schema.EvaluationTooLarge as exc:
        raise EvaluationTooLarge(str(exc)) from None
    except schema.InvalidEvaluation as exc:
        raise InvalidEvaluation(str(exc), field=exc.field) from None
    dv = _dataset_version(dataset_version, organisation)

    with transaction.atomic():
        artifact = None
        if images is not None:
            from .artifacts import store_file

            artifact, _ = store_file(images, filename=f"evaluation-{version.model.name}-v{version.version}.zip",
                                     organisation=organisation, acting_user=acting_user,
                                     content_type="application/zip")
        evaluation = Evaluation.objects.create(
            model_version=version, dataset_version_id=dv.pk if dv is not None else None, kind=kind, split=split,
            summary=summary, report=report, images=artifact, created_by=acting_user)
        if dv is not None:
            from .lineage import link

            # Drawn the way data flows, as input_to is: a version's upstream walk (its evidence
            # pack) reaches the data it was measured on, and a dataset version's downstream walk
            # the versions measured on it. The other way round, a version's downstream walk would
            # fan out through the dataset to every other model trained on it.
            link(dv, version, "evaluated_on")
        record("evaluation.record", acting_user=acting_user, organisation=organisation, obj=evaluation,
               data={"model": version.model.name, "version": version.version, "kind": kind,
                     "dataset_version": dv.pk if dv is not None else None, "split": split, "summary": summary,
                     "images": artifact.sha256 if artifact is not None else None})
    return evaluation


def _dataset_version(value, organisation):
    """The dataset version `value` names (an object or an id), which the version's
    organisation must be able to see: its own or shared down to it."""
    if value is None:
        return None
    if hasattr(value, "_meta") and _kind(value) != "dataset_version":
        raise InvalidEvaluation(f"{value!r} is not a dataset version", field="dataset_version")
    pk = getattr(value, "pk", value)
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidEvaluation(f"dataset_version must be a dataset version or its id, not {value!r}",
                                field="dataset_version")
    dv = lineage.resolve("dataset_version", [pk]).get(pk)
    if dv is None or not access.sees(organisation, dv.dataset.organisation, shared=dv.dataset.published):
        raise InvalidEvaluation(f"no dataset version {pk} that {organisation} may see", field="dataset_version")
    return dv


def _kind(obj):
    try:
        return lineage.kind_of(obj)
    except lineage.UnknownNode:
        return None
