"""How long a job waits and runs, for the jobs pages (read only).

position: among the queued jobs of the same queue, in the order they were submitted
(the broker's order; ids grow with submission), the job's place, 1 = next.
typical: the median duration of the trainer's last ETA_SAMPLE successful runs (any
organisation: how long a trainer takes says nothing about anyone's data), None when
it never succeeded yet. remaining: for a running job, typical minus elapsed."""
from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.utils import timezone

from .models import Job

ETA_SAMPLE = 20


@dataclass(frozen=True)
class Timing:
    position: int | None = None        # queued jobs only
    elapsed: timedelta | None = None   # running: so far; finished: start to end
    typical: timedelta | None = None   # median of past successful runs
    remaining: timedelta | None = None  # running jobs with a typical duration; never negative

    @property
    def overdue(self):
        return self.remaining is not None and self.remaining <= timedelta(0)


def queue_positions(jobs) -> dict:
    """{job id: position in its queue} for the queued ones among `jobs`."""
    queued = [job for job in jobs if job.status == Job.Status.QUEUED]
    positions = {}
    for queue in {job.queue for job in queued}:
        last = max(job.pk for job in queued if job.queue == queue)
        ahead = list(Job.objects.filter(status=Job.Status.QUEUED, queue=queue, pk__lte=last)
                     .order_by("pk").values_list("pk", flat=True))
        index = {pk: i for i, pk in enumerate(ahead, start=1)}
        positions.update({job.pk: index[job.pk] for job in queued if job.queue == queue and job.pk in index})
    return positions


def typical_duration(trainer: str) -> timedelta | None:
    runs = (Job.objects.filter(trainer=trainer, status=Job.Status.SUCCEEDED, started_at__isnull=False,
                               finished_at__isnull=False)
            .order_by("-finished_at", "-pk").values_list("started_at", "finished_at")[:ETA_SAMPLE])
    durations = [(end - start).total_seconds() for start, end in runs if end >= start]
    return timedelta(seconds=median(durations)) if durations else None


def job_timings(jobs, *, now=None) -> dict:
    """{job id: Timing} for `jobs` (a page of them: one query per queue and per trainer)."""
    jobs = list(jobs)
    now = now or timezone.now()
    positions = queue_positions(jobs)
    typical = {trainer: typical_duration(trainer) for trainer in {job.trainer for job in jobs}}
    timings = {}
    for job in jobs:
        usual = typical[job.trainer]
        if job.status == Job.Status.QUEUED:
            timings[job.pk] = Timing(position=positions.get(job.pk), typical=usual)
        elif job.status == Job.Status.RUNNING and job.started_at:
            elapsed = max(now - job.started_at, timedelta(0))
            remaining = max(usual - elapsed, timedelta(0)) if usual is not None else None
            timings[job.pk] = Timing(elapsed=elapsed, typical=usual, remaining=remaining)
        elif job.started_at and job.finished_at:
            timings[job.pk] = Timing(elapsed=max(job.finished_at - job.started_at, timedelta(0)), typical=usual)
        else:  # cancelled or failed before it started
            timings[job.pk] = Timing(typical=usual)
    return timings


def leaderboard(study, trials):
    """A study's complete trials with a value, best first (ties: the earlier trial), as the
    study page and the API rank them."""
    sign = -1 if study.direction == "maximize" else 1
    done = [t for t in trials if t.status == "complete" and t.value is not None]
    return sorted(done, key=lambda t: (sign * t.value, t.number))
