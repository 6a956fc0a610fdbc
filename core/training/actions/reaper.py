"""Finds jobs whose worker died (heartbeat stale) and retries or fails them, so no
job stays 'running' forever, nor a study's trial that such a job ran."""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.platform.actions.audit import record

from ..models import Job
from .jobs import enqueue
from .runner import append_log
from .studies import settle_orphans


def reap_lost_jobs(now=None):
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_S)
    outcomes = {}
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff):
        note = f"{now:%H:%M:%S} worker {job.worker or '?'} lost (no heartbeat since {job.heartbeat_at:%H:%M:%S})"
        with transaction.atomic():
            if job.attempts <= job.max_retries:
                moved = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=cutoff).update(
                    status=Job.Status.QUEUED, message="retrying after worker loss")
                if moved:
                    append_log(job.pk, note + "; retrying")
                    record("job.retry", acting_user=None, organisation=job.organisation, obj=job,
                           data={"attempts": job.attempts, "reason": "worker lost"})
                    enqueue(job)
                    outcomes[job.pk] = "retried"
            else:
                moved = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=cutoff).update(
                    status=Job.Status.FAILED, finished_at=now, message="worker lost",
                    error=f"worker {job.worker or '?'} stopped responding during attempt {job.attempts}")
                if moved:
                    append_log(job.pk, note + "; failed")
                    record("job.fail", acting_user=None, organisation=job.organisation, obj=job,
                           data={"attempts": job.attempts, "reason": "worker lost"})
                    outcomes[job.pk] = "failed"
    # A failed trial job must not leave its study waiting for it.
    settle_orphans()
    return outcomes
