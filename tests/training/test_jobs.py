"""The job runner in-process: lifecycle, idempotency, cancellation, lineage, reaping."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.hub.actions.registry import create_model
from core.hub.models import LineageEdge, ModelVersion
from core.training.actions.jobs import cancel_job, submit_job
from core.training.actions.reaper import reap_lost_jobs
from core.training.actions.runner import run_job
from core.training.models import Job


@pytest.fixture
def job(users, orgs):
    def make(**params):
        return submit_job(trainer="dummy.least_squares", organisation=orgs["a"], acting_user=users["a_dev"],
                          params={"steps": 15, "seed": 7, **params})

    return make


def test_job_runs_lowers_loss_and_registers_version(job, users, orgs):
    model = create_model(name="lin", organisation=orgs["a"], vertical="dummy", model_type="linear",
                         acting_user=users["a_dev"])
    j = job(model_id=model.pk)
    assert j.status == "queued"
    assert run_job(j.pk) == "succeeded"
    j.refresh_from_db()
    assert j.status == "succeeded" and j.progress == 1.0 and j.attempts == 1
    assert j.result["final_loss"] < j.result["first_loss"] / 10
    assert "step 15/15" in j.log_tail
    run = j.runs.get()
    assert run.seed == 7 and run.code_revision and "packages" in run.environment
    mv = ModelVersion.objects.get(pk=j.result["model_version"])
    assert mv.metrics["mse"] == pytest.approx(j.result["final_loss"])
    assert LineageEdge.objects.filter(src_kind="training_run", src_id=run.pk, dst_kind="model_version",
                                      dst_id=mv.pk, relation="produced").exists()


def test_same_seed_same_result(job):
    a, b = job(), job()
    run_job(a.pk)
    run_job(b.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.result == b.result


def test_redelivered_message_does_nothing(job):
    j = job()
    assert run_job(j.pk) == "succeeded"
    assert run_job(j.pk) == "skipped"
    j.refresh_from_db()
    assert j.attempts == 1 and j.runs.count() == 1


def test_trainer_error_marks_job_failed(job):
    j = job(fail=True)
    assert run_job(j.pk) == "failed"
    j.refresh_from_db()
    assert j.status == "failed" and "asked to fail" in j.error and "Traceback" in j.log_tail


def test_cancel_queued_and_refuse_cancel_twice(job, users):
    j = job()
    cancel_job(j, acting_user=users["a_dev"])
    assert run_job(j.pk) == "skipped"
    with pytest.raises(Exception, match="already cancelled"):
        cancel_job(j, acting_user=users["a_dev"])


def test_cancel_running_job_stops_at_next_progress(job, users, monkeypatch):
    from tests.dummy_vertical import trainers

    j = job(steps=50)
    real_progress = None

    def cancelling_progress(self, fraction, message=""):
        if fraction > 0.2:
            Job.objects.filter(pk=self.job.pk).update(status="cancelled")
        return real_progress(self, fraction, message)

    from core.training.actions import runner

    real_progress = runner.JobContext.progress
    monkeypatch.setattr(runner.JobContext, "progress", cancelling_progress)
    assert run_job(j.pk) == "cancelled"
    j.refresh_from_db()
    assert j.status == "cancelled" and j.progress < 0.5
    assert trainers  # the trainer module was the one interrupted


def test_reaper_fails_or_retries_lost_jobs(job, monkeypatch):
    from core.training.actions import reaper

    stale = timezone.now() - timedelta(seconds=600)
    lost = job()
    Job.objects.filter(pk=lost.pk).update(status="running", heartbeat_at=stale, attempts=1)
    retry = job()
    Job.objects.filter(pk=retry.pk).update(status="running", heartbeat_at=stale, attempts=1, max_retries=1)
    alive = job()
    Job.objects.filter(pk=alive.pk).update(status="running", heartbeat_at=timezone.now(), attempts=1)
    sent = []
    monkeypatch.setattr(reaper, "enqueue", lambda j: sent.append(j.pk))
    assert reap_lost_jobs() == {lost.pk: "failed", retry.pk: "retried"}
    assert Job.objects.get(pk=lost.pk).status == "failed"
    assert "stopped responding" in Job.objects.get(pk=lost.pk).error
    assert Job.objects.get(pk=retry.pk).status == "queued" and sent == [retry.pk]
    assert Job.objects.get(pk=alive.pk).status == "running"


def test_jobs_api(api, users, orgs):
    c = api(users["a_dev"])
    r = c.post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a",
                                 "params": {"steps": 3}}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "queued" and r.json()["queue"] == "dummy"
    r = c.post("/api/v1/jobs/", {"trainer": "nope", "organisation": "plant-a"}, format="json")
    assert r.status_code == 400 and "no trainer named" in r.json()["message"]
    r = c.post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a", "params": [1]},
               format="json")
    assert r.status_code == 400
    r = api(users["a_viewer"]).post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a"},
                                    format="json")
    assert r.status_code == 403
    assert api(users["b_dev"]).get("/api/v1/jobs/").json()["count"] == 0
    assert "dummy.least_squares" in c.get("/api/v1/trainers/").json()["results"]
