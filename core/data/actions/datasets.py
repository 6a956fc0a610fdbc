from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core.hub.actions.lineage import link
from core.hub.models import name_validator
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import Dataset, DatasetVersion


def create_dataset(*, name, organisation, kind, acting_user, vertical="", description=""):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not create datasets in {organisation}")
    name_validator(name)
    if Dataset.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a dataset named {name!r}"})
    with transaction.atomic():
        ds = Dataset.objects.create(name=name, organisation=organisation, kind=kind, vertical=vertical,
                                    description=description, created_by=acting_user)
        record("dataset.create", acting_user=acting_user, organisation=organisation, obj=ds,
               data={"name": name, "kind": kind})
    return ds


def ensure_dataset(*, name, organisation, **fields):
    """The organisation's dataset of that name, created with `fields` the first time: what a
    pipeline that adds a version on every run needs."""
    return Dataset.objects.filter(organisation=organisation, name=name).first() or create_dataset(
        name=name, organisation=organisation, **fields)


def add_version(dataset, *, artifact, acting_user, num_records=0, stats=None, source="", derived_from=None):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add dataset versions in {dataset.organisation}")
    with transaction.atomic():
        Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
        n = (dataset.versions.aggregate(m=Max("version"))["m"] or 0) + 1
        dv = DatasetVersion.objects.create(dataset=dataset, version=n, artifact=artifact, num_records=num_records,
                                           stats=stats or {}, source=source, created_by=acting_user)
        if derived_from is not None:
            link(derived_from, dv, "derived_from")
        record("dataset_version.create", acting_user=acting_user, organisation=dataset.organisation, obj=dv,
               data={"dataset": dataset.name, "version": n, "sha256": artifact.sha256, "records": num_records,
                     "source": source})
    return dv


def publish(dataset, *, published, acting_user):
    """Share a dataset with the organisations below its own (read-only), or stop sharing it."""
    if not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not publish datasets of {dataset.organisation}")
    with transaction.atomic():
        Dataset.objects.filter(pk=dataset.pk).update(published=bool(published))
        dataset.published = bool(published)
        record("dataset.publish" if published else "dataset.unpublish", acting_user=acting_user,
               organisation=dataset.organisation, obj=dataset, data={"name": dataset.name})
    return dataset
