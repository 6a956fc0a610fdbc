"""Runs one job inside a worker. Idempotent: a job is claimed with a conditional
update, so a redelivered message for a job that is running or finished does nothing."""
import logging
import socket
import threading
import traceback
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from core.platform.actions.audit import record

from ..lib.environment import code_revision, describe
from ..models import Job, TrainingRun
from ..registry import get_trainer

log = logging.getLogger(__name__)
LOG_TAIL_CHARS = 20000


class JobCancelled(Exception):
    pass


class JobContext:
    """What a trainer gets: its parameters, a work folder, progress and log
    reporting, and helpers that record lineage as it goes."""

    def __init__(self, job: Job, run: TrainingRun):
        self.job = job
        self.run = run
        self.params = job.params
        self.seed = run.seed
        self.acting_user = job.started_by
        self.organisation = job.organisation
        self._log_path = job_log_path(job.pk)
        self.workdir = self._log_path.parent
        self.workdir.mkdir(parents=True, exist_ok=True)

    def log(self, line: str):
        stamped = f"{timezone.now():%H:%M:%S} {line}"
        with open(self._log_path, "a", encoding="utf-8") as fh:
            fh.write(stamped + "\n")
        tail = self._log_path.read_text(encoding="utf-8")[-LOG_TAIL_CHARS:]
        self._update(log_tail=tail)

    def progress(self, fraction: float, message: str = ""):
        fraction = max(0.0, min(1.0, float(fraction)))
        if message:
            self.log(f"[{fraction:5.1%}] {message}")
        self._update(progress=fraction, message=message[:500])

    def _update(self, **fields):
        updated = Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING).update(
            heartbeat_at=timezone.now(), **fields)
        if not updated:
            raise JobCancelled(f"job {self.job.pk} is no longer running")

    def check_cancelled(self):
        self._update()

    def dataset_version(self, key="dataset_version"):
        """The dataset version params[key] names, held to this job's line again here
        (submission checked it too, but the tree may have changed since) and linked
        as the run's input. Trainers read data only through this."""
        from .inputs import dataset_version

        if self.params.get(key) in (None, ""):
            raise ValueError(f"params.{key} is required")
        dv = dataset_version(self.params[key], organisation=self.organisation, acting_user=self.acting_user)
        self.used_dataset(dv)
        return dv

    def target_model(self, key="model_id"):
        """The model params[key] names (None when not given); only a model of this
        job's own organisation."""
        from .inputs import target_model

        value = self.params.get(key)
        return None if value in (None, "") else target_model(value, organisation=self.organisation)

    def used_dataset(self, dataset_version):
        from core.hub.actions.lineage import link

        link(dataset_version, self.run, "input_to")

    def register_model_version(self, model, artifact_path, *, metrics=None, params=None, description=""):
        """Store the artifact, make a new version of `model` and link it to this run."""
        from core.hub.actions.artifacts import store_file
        from core.hub.actions.registry import create_version

        artifact, _ = store_file(artifact_path, organisation=model.organisation, acting_user=self.acting_user)
        tags = {}
        if self.params.get("reproduce_of_run"):
            tags["reproduction_of_run"] = self.params["reproduce_of_run"]
            description = f"reproduction of training run {self.params['reproduce_of_run']}. {description}".strip()
        clean = {k: v for k, v in (params or self.params).items() if k != "reproduce_of_run"}
        return create_version(model, artifact=artifact, acting_user=self.acting_user, metrics=metrics,
                              params=clean, tags=tags, description=description,
                              lineage_from=[(self.run, "produced")])


class _Heartbeat(threading.Thread):
    """Keeps heartbeat_at fresh while a trainer computes between progress reports."""

    def __init__(self, job_id):
        super().__init__(daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_INTERVAL_S):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # a missed beat is retried; progress reports beat too
                    log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)
                    if self.stopped.wait(settings.JOB_HEARTBEAT_INTERVAL_S):
                        return
        finally:
            close_old_connections()
            from django.db import connection

            connection.close()


def run_job(job_id: int, *, worker: str = ""):
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
        worker=worker or socket.gethostname(), progress=0.0, error="")
    if not claimed:
        log.info("job %s not queued any more; nothing to do", job_id)
        return "skipped"
    job = Job.objects.select_related("organisation", "started_by").get(pk=job_id)
    seed = job.params.get("seed", 0)
    recorded = {k: v for k, v in job.params.items() if k != "reproduce_of_run"}
    run = TrainingRun.objects.create(job=job, attempt=job.attempts, code_revision=code_revision(settings.BASE_DIR),
                                     params=recorded, environment=describe(), seed=seed)
    ctx = JobContext(job, run)
    ctx.log(f"started on {job.worker}, attempt {job.attempts}, run #{run.pk}")
    beat = _Heartbeat(job.pk)
    beat.start()
    try:
        result = get_trainer(job.trainer)(ctx) or {}
        with transaction.atomic():
            done = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.SUCCEEDED, progress=1.0, result=result, finished_at=timezone.now(),
                message="succeeded")
            if done:
                record("job.succeed", acting_user=None, organisation=job.organisation, obj=job,
                       data={"run": run.pk, "result": result})
        return "succeeded" if done else "cancelled"
    except JobCancelled:
        ctx_log_safe(ctx, "stopped: cancelled")
        return "cancelled"
    except Exception as exc:  # the job records any trainer failure; the worker goes on
        tb = traceback.format_exc()
        ctx_log_safe(ctx, tb)
        with transaction.atomic():
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000], finished_at=timezone.now(),
                message="failed")
            record("job.fail", acting_user=None, organisation=job.organisation, obj=job,
                   data={"run": run.pk, "error": f"{type(exc).__name__}: {exc}"[:1000]})
        return "failed"
    finally:
        beat.stopped.set()
        beat.join(timeout=5)


def ctx_log_safe(ctx, line):
    append_log(ctx.job.pk, line)


def job_log_path(job_id) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / str(job_id) / "job.log"


def append_log(job_id, line):
    """Append to a job's log file and refresh its tail, whatever its status."""
    path = job_log_path(job_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        Job.objects.filter(pk=job_id).update(log_tail=path.read_text(encoding="utf-8")[-LOG_TAIL_CHARS:])
    except OSError:
        log.warning("could not write the log of job %s", job_id)
