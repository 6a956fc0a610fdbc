"""A dataset import as a job (core.dataset_import), for uploads too big to wait on: the upload
is already stored as an artifact (hashed); the job checks it as the direct imports do, saying
how many images it has decoded, and adds the version. The job page shows its progress.

params: dataset (id), artifact (sha256 of the uploaded file), format (coco | voc | classes | text),
source (a label for where the data came from)."""
from django.core.exceptions import ObjectDoesNotExist, ValidationError

FORMATS = ("coco", "voc", "classes", "text")


def _inputs(params, organisation, acting_user):
    from core.data.queries import visible_datasets
    from core.hub.queries import visible_artifacts

    if params.get("format") not in FORMATS:
        raise ValidationError({"format": f"format is one of {', '.join(FORMATS)}"})
    try:
        dataset = visible_datasets(acting_user).get(pk=int(params.get("dataset")), organisation=organisation)
    except (TypeError, ValueError, ObjectDoesNotExist):
        raise ValidationError({"dataset": "name a dataset of the job's organisation"}) from None
    artifact = visible_artifacts(acting_user).filter(sha256=str(params.get("artifact", ""))).first()
    if artifact is None:
        raise ValidationError({"artifact": "name an uploaded artifact visible to you"})
    return dataset, artifact


def check_dataset_import(params, *, organisation, acting_user):
    _inputs(params, organisation, acting_user)


def dataset_import(ctx):
    from pathlib import Path

    from core.data.actions import importers
    from core.hub.actions.artifacts import open_verified_path

    dataset, artifact = _inputs(ctx.params, ctx.organisation, ctx.acting_user)
    fmt, label = ctx.params["format"], str(ctx.params.get("source") or f"{artifact.filename} (job {ctx.job.pk})")
    path = Path(open_verified_path(artifact))
    ctx.progress(0.02, f"importing {artifact.filename} ({artifact.size:,} bytes) as {fmt}")

    def told(done, total):
        ctx.progress(0.05 + 0.85 * done / max(1, total), f"checked {done:,} of {total:,} images")

    if fmt == "text":
        version = importers.import_text_jsonl(path.read_bytes(), dataset=dataset, acting_user=ctx.acting_user,
                                              source_label=label, name=artifact.filename or "data.jsonl")
    else:
        importer = {"coco": importers.import_coco, "voc": importers.import_voc,
                    "classes": importers.import_class_folders}[fmt]
        version = importer(path, dataset=dataset, acting_user=ctx.acting_user, source_label=label, progress=told)
    ctx.log(f"{dataset.name} v{version.version}: {version.num_records:,} records, {version.artifact_id}")
    return {"dataset": dataset.pk, "dataset_version": version.pk, "version": version.version,
            "records": version.num_records}
