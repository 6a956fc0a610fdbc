"""Submitting and cancelling jobs."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles
from core.platform.queueing import QueueUnavailable, publish

from ..models import Job
from ..registry import queue_for, submission_check
from .inputs import check_inputs

RUN_JOB_TASK = "core.training.run_job"  # core/training/tasks.py


def enqueue(job, *, acting_user=None):
    """Send the job to its queue once the transaction that created it commits. A broker
    that does not take it fails the job at once, with the reason and an audit event, and
    QueueUnavailable goes up to the caller (the API answers 503): a job left queued with
    nothing queued would wait forever, since the reaper only looks at running jobs."""
    transaction.on_commit(lambda: _publish_or_fail(job, acting_user))


def _publish_or_fail(job, acting_user):
    try:
        publish(RUN_JOB_TASK, args=[job.pk], queue=job.queue)
    except QueueUnavailable as exc:
        with transaction.atomic():
            failed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                status=Job.Status.FAILED, finished_at=timezone.now(), message="could not be queued", error=str(exc))
            if failed:
                record("job.fail", acting_user=acting_user, organisation=job.organisation, obj=job,
                       data={"reason": "enqueue failed", "error": str(exc), "queue": job.queue})
        raise QueueUnavailable(f"job {job.pk} was not queued and is marked failed: {exc}") from exc


def submit_job(*, trainer, organisation, acting_user, params=None, max_retries=0):
    """Create the job and queue it on its trainer's queue (short or long, registry.queue_for),
    once its inputs and the trainer's own submission check (registry.checked_by) pass."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not start jobs in {organisation}")
    try:
        queue = queue_for(trainer)
    except LookupError as exc:
        raise ValidationError({"trainer": str(exc)}) from None
    if params is not None and not isinstance(params, dict):
        raise ValidationError({"params": "params must be a JSON object"})
    if not 0 <= int(max_retries) <= 5:
        raise ValidationError({"max_retries": "max_retries must be between 0 and 5"})
    check_inputs(params, organisation=organisation, acting_user=acting_user)
    check = submission_check(trainer)
    if check is not None:  # after check_inputs: the check may read the inputs it names
        check(dict(params or {}), organisation=organisation, acting_user=acting_user)
    with transaction.atomic():
        job = Job.objects.create(trainer=trainer, organisation=organisation, params=params or {}, queue=queue,
                                 max_retries=max_retries, started_by=acting_user)
        record("job.submit", acting_user=acting_user, organisation=organisation, obj=job,
               data={"trainer": trainer, "params": params or {}, "queue": queue})
        enqueue(job, acting_user=acting_user)
    return job


def cancel_job(job, *, acting_user):
    """Queued jobs stop at once; a running job sees the cancellation at its next
    progress report and stops there."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, job.organisation):
        raise PermissionError(f"you may not cancel jobs in {job.organisation}")
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now(), message="cancelled")
        if not updated:
            job.refresh_from_db()
            raise ValidationError({"status": f"job {job.pk} is already {job.status}"})
        record("job.cancel", acting_user=acting_user, organisation=job.organisation, obj=job)
    job.refresh_from_db()
    return job
