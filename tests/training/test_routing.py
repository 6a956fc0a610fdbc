"""Short and long jobs go to different queues, each consumed by its own workers, so a
scorecard of seconds never waits behind detector trainings (issue 18, B.5)."""
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.platform.management.commands.run_embedded import worker_commands
from core.platform.verticals import registry
from core.training.actions import jobs as job_actions
from core.training.actions.jobs import submit_job
from core.training.registry import duration_class, long_running, queue_for


def test_every_trainer_declares_a_duration_class_that_picks_its_queue():
    assert {name: duration_class(name) for name in ("core.detection", "manufacturing.separator_pipeline",
                                                     "energy.patrol_pipeline", "city.traffic_pipeline",
                                                     "city.junction_demo")} == dict.fromkeys(
        ("core.detection", "manufacturing.separator_pipeline", "energy.patrol_pipeline", "city.traffic_pipeline",
         "city.junction_demo"), "long")
    for short in ("finance.scorecard", "finance.fraud", "core.linear_regression", "energy.heat_load"):
        assert duration_class(short) == "short", short
    assert queue_for("finance.scorecard") == "finance"
    assert queue_for("energy.heat_load") == "energy"
    assert queue_for("energy.patrol_pipeline") == "energy-long"
    assert queue_for("core.linear_regression") == "default"
    assert queue_for("core.detection") == "default-long"
    with pytest.raises(LookupError, match="no trainer named"):
        queue_for("nope.nothing")


def test_a_short_and_a_long_job_are_published_to_different_queues(users, orgs, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    def long_fit(ctx):
        return {}

    monkeypatch.setitem(registry["trainers"], "dummy.long_fit", long_running(long_fit))
    published = []
    monkeypatch.setattr(job_actions, "publish", lambda task, *, args, queue: published.append((args[0], queue)))
    with django_capture_on_commit_callbacks(execute=True):
        short = submit_job(trainer="dummy.least_squares", organisation=orgs["a"], acting_user=users["a_dev"],
                           params={"steps": 2})
        long = submit_job(trainer="dummy.long_fit", organisation=orgs["a"], acting_user=users["a_dev"])
    assert (short.queue, long.queue) == ("dummy", "dummy-long")
    assert published == [(short.pk, "dummy"), (long.pk, "dummy-long")]


def test_the_api_answers_with_the_long_queue_of_a_long_trainer(api, users, monkeypatch):
    monkeypatch.setitem(registry["trainers"], "dummy.long_fit", long_running(lambda ctx: {}))
    r = api(users["a_dev"]).post("/api/v1/jobs/", {"trainer": "dummy.long_fit", "organisation": "plant-a"},
                                 format="json")
    assert r.status_code == 201 and r.json()["queue"] == "dummy-long"


def queues(*args):
    out = StringIO()
    call_command("celery_queues", *args, stdout=out)
    return out.getvalue().strip().split(",")


def test_celery_queues_prints_each_kind_and_all_is_their_union():
    short, long, every = queues("--kind", "short"), queues("--kind", "long"), queues()
    assert short[0] == "default" and {"manufacturing", "finance", "energy", "city", "dummy"} <= set(short)
    assert long == [f"{name}-long" for name in short]
    assert every == short + long and len(set(every)) == len(every)
    # the Celery app declares exactly these, so `-Q` with any of them names real queues
    from core.celery import app

    app.finalize()
    assert [q.name for q in app.conf.task_queues] == every
    with pytest.raises(CommandError):
        call_command("celery_queues", "--kind", "medium", stdout=StringIO())


def test_the_embedded_deployment_builds_a_short_and_a_long_worker():
    short, long = worker_commands(schedule=Path("/tmp/var/celerybeat-schedule"), short_slots=2, long_slots=1)
    for cmd in (short, long):
        assert cmd[:6] == [sys.executable, "-m", "celery", "-A", "core", "worker"]

    def opt(cmd, flag):
        return cmd[cmd.index(flag) + 1]

    assert opt(short, "-Q").split(",") == queues("--kind", "short")
    assert opt(long, "-Q").split(",") == queues("--kind", "long")
    assert (opt(short, "-c"), opt(long, "-c")) == ("2", "1")
    assert opt(short, "-n") != opt(long, "-n")  # two workers on one host need two names
    # beat (reaper, audit checkpoints) must run exactly once
    assert "-B" in short and "-B" not in long and opt(short, "--schedule") == "/tmp/var/celerybeat-schedule"


def test_the_embedded_command_refuses_zero_slots():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("run_embedded", "--long-slots", "0", stdout=StringIO())
