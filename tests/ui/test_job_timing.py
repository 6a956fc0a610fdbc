"""The jobs pages say where a queued job stands, how long a job has run and how long
jobs of its trainer usually take, in English and Chinese (issue 18, B.5)."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.training.models import Job

pytestmark = pytest.mark.django_db


def job(world, status, trainer="core.detection", **times):
    return Job.objects.create(organisation=world["orgs"]["a"], trainer=trainer, queue="dummy", status=status,
                              started_by=world["users"]["a_dev"], **times)


@pytest.fixture
def jobs(world):
    now = timezone.now()
    for minutes in (2, 4, 9):  # median 4 min
        job(world, Job.Status.SUCCEEDED, started_at=now - timedelta(minutes=minutes), finished_at=now)
    return {
        "ahead": job(world, Job.Status.QUEUED),
        "queued": job(world, Job.Status.QUEUED),
        "running": job(world, Job.Status.RUNNING, started_at=now - timedelta(minutes=1, seconds=30)),
        "new": job(world, Job.Status.QUEUED, trainer="dummy.never_ran"),
    }


def page(client, name, *args, lang="en"):
    return client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_the_job_pages_show_position_elapsed_time_and_estimate(world, jobs, client_for, settings):
    client = client_for(world["users"]["a_dev"])
    body = page(client, "ui:job", jobs["queued"].pk)
    assert "#2 in queue dummy" in body and "usually takes" in body
    body = page(client, "ui:job", jobs["running"].pk)
    assert "running for 1 min 30 s" in body and "about 2 min 30 s left" in body
    assert "no estimate yet" in page(client, "ui:job", jobs["new"].pk)
    listing = page(client, "ui:jobs")
    assert "#1 in queue dummy" in listing and "#2 in queue dummy" in listing and "took 4 min 0 s" in listing


def test_the_median_uses_only_successful_runs_of_the_same_trainer(world, jobs, client_for):
    client = client_for(world["users"]["a_dev"])
    now = timezone.now()
    job(world, Job.Status.FAILED, started_at=now - timedelta(hours=5), finished_at=now)
    job(world, Job.Status.SUCCEEDED, trainer="dummy.never_ran", started_at=now - timedelta(hours=5), finished_at=now)
    assert "usually takes 4 min 0 s" in page(client, "ui:job", jobs["queued"].pk)
    job(world, Job.Status.SUCCEEDED, started_at=now - timedelta(hours=3), finished_at=now)  # 2, 4, 9, 180 min
    assert "usually takes 6 min 30 s" in page(client, "ui:job", jobs["queued"].pk)
    body = page(client, "ui:job", jobs["running"].pk)
    assert "about 5 min 0 s left" in body


def test_the_job_pages_in_chinese(world, jobs, client_for):
    client = client_for(world["users"]["a_dev"])
    body = page(client, "ui:job", jobs["queued"].pk, lang="zh-hans")
    assert "队列 dummy 中第 2 位" in body and "通常需要 4 分 0 秒" in body
    body = page(client, "ui:job", jobs["running"].pk, lang="zh-hans")
    assert "已运行 1 分 30 秒" in body and "约剩 2 分 30 秒" in body
    assert "暂无预计时间" in page(client, "ui:job", jobs["new"].pk, lang="zh-hans")
    assert "耗时 4 分 0 秒" in page(client, "ui:jobs", lang="zh-hans")
