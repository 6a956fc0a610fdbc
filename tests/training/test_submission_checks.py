"""A trainer's submission check runs in submit_job after check_inputs: a refusal is a
400 naming the parameter, with no job row and no audit event."""
import pytest
from django.core.exceptions import ValidationError

from core.platform.models import AuditEvent
from core.training.actions.jobs import submit_job
from core.training.models import Job
from core.training.registry import checked_by, submission_check
from core.platform.verticals import registry


@pytest.fixture
def checked_trainer():
    seen = []

    def check(params, *, organisation, acting_user):
        seen.append((params, organisation, acting_user))
        if params.get("steps", 0) > 10:
            raise ValidationError({"params": ["steps: at most 10"]})

    name = "dummy.checked"
    registry["trainers"][name] = checked_by(check)(lambda ctx: {})
    yield name, seen
    del registry["trainers"][name]


def test_check_is_declared_and_found(checked_trainer):
    name, _ = checked_trainer
    assert submission_check(name) is not None
    assert submission_check("dummy.least_squares") is None


def test_refused_at_submission_without_a_job_or_audit_event(api, users, orgs, checked_trainer):
    name, seen = checked_trainer
    events = AuditEvent.objects.count()
    r = api(users["a_dev"]).post("/api/v1/jobs/", {"trainer": name, "organisation": "plant-a",
                                                   "params": {"steps": 11}}, format="json")
    assert r.status_code == 400 and "steps: at most 10" in r.json()["message"], r.content
    assert Job.objects.count() == 0 and AuditEvent.objects.count() == events
    assert seen[0][1] == orgs["a"] and seen[0][2] == users["a_dev"]
    job = submit_job(trainer=name, organisation=orgs["a"], acting_user=users["a_dev"], params={"steps": 3})
    assert job.status == "queued" and AuditEvent.objects.count() == events + 1


def test_check_runs_after_the_inputs_check(users, orgs, checked_trainer):
    name, seen = checked_trainer
    with pytest.raises(ValidationError, match="dataset_version"):
        submit_job(trainer=name, organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"dataset_version": 999999, "steps": 3})
    assert seen == []  # an input the job may not read never reaches the trainer's check
