"""Re-run a training run from what it recorded (trainer, parameters, seed, the same
dataset versions) and compare what comes out with what it produced the first time."""
from django.core.exceptions import ValidationError

from core.hub.models import LineageEdge, ModelVersion

from ..models import Job, TrainingRun
from .jobs import submit_job


def reproduce(run: TrainingRun, *, acting_user):
    job = run.job
    if job.status != Job.Status.SUCCEEDED:
        raise ValidationError({"run": f"run {run.pk} did not succeed ({job.status}); nothing to reproduce"})
    params = {**run.params, "reproduce_of_run": run.pk}
    return submit_job(trainer=job.trainer, organisation=job.organisation, acting_user=acting_user, params=params)


def _produced(run_ids):
    ids = LineageEdge.objects.filter(src_kind="training_run", src_id__in=run_ids, dst_kind="model_version",
                                     relation="produced").values_list("dst_id", flat=True)
    return list(ModelVersion.objects.filter(pk__in=ids).order_by("pk"))


def report(job: Job) -> dict:
    """Whether a reproduction job gave the same artifact (SHA-256) and the same metrics."""
    original_id = (job.params or {}).get("reproduce_of_run")
    if not original_id:
        raise ValidationError({"job": f"job {job.pk} is not a reproduction"})
    original = TrainingRun.objects.select_related("job").get(pk=original_id)
    out = {"job": job.pk, "status": job.status, "original_run": original.pk,
           "original_code_revision": original.code_revision}
    if job.status != Job.Status.SUCCEEDED:
        return {**out, "complete": False}
    runs = list(job.runs.order_by("-attempt"))
    before, after = _produced([original.pk]), _produced([r.pk for r in runs[:1]])
    out.update({"complete": True, "code_revision": runs[0].code_revision if runs else None,
                "same_code_revision": bool(runs) and runs[0].code_revision == original.code_revision})
    if not before or not after:
        out.update({"comparable": False, "reason": "one of the runs registered no model version"})
        return out
    a, b = before[-1], after[-1]
    metric_diffs = {k: {"original": a.metrics.get(k), "reproduced": b.metrics.get(k)}
                    for k in sorted(set(a.metrics) | set(b.metrics)) if a.metrics.get(k) != b.metrics.get(k)}
    out.update({
        "comparable": True,
        "original": {"model_version": a.pk, "version": a.version, "sha256": a.artifact_id},
        "reproduced": {"model_version": b.pk, "version": b.version, "sha256": b.artifact_id},
        "same_artifact": a.artifact_id == b.artifact_id,
        "same_metrics": not metric_diffs,
        "metric_differences": metric_diffs,
    })
    out["reproduced_exactly"] = out["same_artifact"] and out["same_metrics"]
    return out
