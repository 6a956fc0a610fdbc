"""Where a queued job stands and how long jobs of its trainer usually take (core.training.queries)."""
from datetime import timedelta

from django.utils import timezone

from core.training.models import Job
from core.training.queries import job_timings, queue_positions, typical_duration


def make(orgs, trainer="dummy.least_squares", queue="dummy", status=Job.Status.QUEUED, took=None, org="a",
         started=None):
    now = timezone.now()
    job = Job.objects.create(organisation=orgs[org], trainer=trainer, queue=queue, status=status)
    if took is not None:
        Job.objects.filter(pk=job.pk).update(started_at=now - took, finished_at=now)
    elif started is not None:
        Job.objects.filter(pk=job.pk).update(started_at=started)
    job.refresh_from_db()
    return job


def test_queue_position_counts_the_queued_jobs_of_the_same_queue_submitted_before(orgs):
    first = make(orgs)
    other_queue = make(orgs, queue="dummy-long")
    make(orgs, status=Job.Status.RUNNING)
    second = make(orgs, org="b")  # another organisation's job waits in the same queue
    third = make(orgs)
    assert queue_positions([third, first, other_queue, second]) == {first.pk: 1, other_queue.pk: 1,
                                                                     second.pk: 2, third.pk: 3}
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
    third.refresh_from_db()
    assert queue_positions([third]) == {third.pk: 2}


def test_typical_duration_is_the_median_of_past_successful_runs_of_the_trainer(orgs):
    assert typical_duration("dummy.least_squares") is None
    for seconds in (10, 30, 1000):
        make(orgs, status=Job.Status.SUCCEEDED, took=timedelta(seconds=seconds))
    make(orgs, status=Job.Status.FAILED, took=timedelta(seconds=5))       # failures say nothing
    make(orgs, trainer="core.detection", status=Job.Status.SUCCEEDED, took=timedelta(hours=2))
    assert typical_duration("dummy.least_squares") == timedelta(seconds=30)
    assert typical_duration("core.detection") == timedelta(hours=2)


def test_timings_of_queued_running_and_finished_jobs(orgs):
    for seconds in (60, 120):
        make(orgs, status=Job.Status.SUCCEEDED, took=timedelta(seconds=seconds))
    now = timezone.now()
    queued = make(orgs)
    running = make(orgs, status=Job.Status.RUNNING, started=now - timedelta(seconds=40))
    late = make(orgs, status=Job.Status.RUNNING, started=now - timedelta(seconds=500))
    fresh = make(orgs, trainer="core.linear_regression", status=Job.Status.RUNNING, started=now)
    done = Job.objects.filter(status=Job.Status.SUCCEEDED).first()
    t = job_timings([queued, running, late, fresh, done], now=now)
    assert t[queued.pk].position == 1 and t[queued.pk].typical == timedelta(seconds=90)
    assert t[running.pk].elapsed == timedelta(seconds=40) and t[running.pk].remaining == timedelta(seconds=50)
    assert t[late.pk].overdue and t[late.pk].remaining == timedelta(0)
    assert t[fresh.pk].typical is None and t[fresh.pk].remaining is None and not t[fresh.pk].overdue
    assert t[done.pk].elapsed in (timedelta(seconds=60), timedelta(seconds=120)) and t[done.pk].position is None
