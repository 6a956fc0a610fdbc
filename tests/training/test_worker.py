"""End to end through a real Celery worker process and the configured broker
(Redis in CI, the file-system broker otherwise)."""
import time

import pytest

from core.hub.models import ModelVersion
from core.training.models import Job
from tests.worker_process import WorkerProcess, purge_queues

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    purge_queues()
    started = []

    def start(name="w1"):
        w = WorkerProcess(name=name).start()
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def wait_for(predicate, timeout=60, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met in time")


def job_status(pk):
    return Job.objects.get(pk=pk).status


def test_job_end_to_end_through_worker(api, users, worker):
    w = worker()
    c = api(users["a_dev"])
    model = c.post("/api/v1/models/", {"name": "lin", "organisation": "plant-a", "vertical": "dummy",
                                       "model_type": "linear"}, format="json").json()
    r = c.post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a",
                                 "params": {"steps": 10, "seed": 3, "model_id": model["id"]}}, format="json")
    assert r.status_code == 201
    job_id = r.json()["id"]
    wait_for(lambda: job_status(job_id) in Job.FINISHED, timeout=90)
    job = c.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == "succeeded", (job, w.output()[-3000:])
    assert job["worker"].startswith("w1@")
    assert job["result"]["final_loss"] < job["result"]["first_loss"]
    mv = ModelVersion.objects.get(pk=job["result"]["model_version"])
    lineage = c.get(f"/api/v1/lineage/model_version/{mv.pk}/").json()
    assert f"training_run:{job['runs'][0]['id']}" in {n["id"] for n in lineage["nodes"]}


def test_killed_worker_leaves_job_failed_not_running(api, users, worker):
    w = worker("w1")
    c = api(users["a_dev"])
    r = c.post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a",
                                 "params": {"steps": 200, "step_sleep_s": 0.1}}, format="json")
    job_id = r.json()["id"]
    wait_for(lambda: Job.objects.get(pk=job_id).progress > 0.02, timeout=90)
    assert job_status(job_id) == "running"
    w.kill()
    # The next worker to start finds the job's heartbeat stale and fails it.
    time.sleep(3.5)
    worker("w2")
    wait_for(lambda: job_status(job_id) == "failed", timeout=60)
    job = Job.objects.get(pk=job_id)
    assert "stopped responding" in job.error and job.finished_at is not None


def test_killed_worker_job_with_retries_is_retried(api, users, worker):
    w = worker("w1")
    c = api(users["a_dev"])
    r = c.post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a", "max_retries": 1,
                                 "params": {"steps": 40, "step_sleep_s": 0.05}}, format="json")
    job_id = r.json()["id"]
    wait_for(lambda: Job.objects.get(pk=job_id).progress > 0.05, timeout=90)
    w.kill()
    time.sleep(3.5)
    w2 = worker("w2")
    wait_for(lambda: job_status(job_id) in Job.FINISHED, timeout=90)
    job = Job.objects.get(pk=job_id)
    assert job.status == "succeeded", w2.output()[-3000:]
    assert job.attempts == 2 and job.runs.count() == 2 and job.worker.startswith("w2@")
    assert "retrying" in job.log_tail
