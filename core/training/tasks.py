"""Thin Celery wrappers around training actions."""
from celery import shared_task
from celery.signals import worker_ready

from .actions.reaper import reap_lost_jobs
from .actions.runner import run_job


@shared_task(name="core.training.run_job", bind=True, acks_late=True, reject_on_worker_lost=True)
def run_job_task(self, job_id):
    return run_job(job_id, worker=self.request.hostname or "")


@shared_task(name="core.training.reap_lost_jobs")
def reap_lost_jobs_task():
    return {str(k): v for k, v in reap_lost_jobs().items()}


@worker_ready.connect
def _reap_on_start(sender=None, **kwargs):
    # A worker that starts after a crash finds the jobs its predecessor left running
    # (a worker imports every tasks module before it is ready).
    reap_lost_jobs()
