"""One deployment status, computed in core/inference/status.py and shown by every page:
an active deployment serving a version without an approved champion (the champion is
maker-checked) reads "Active — awaiting approval", not plainly "Active"."""
import pytest
from django.urls import reverse

from core.hub.models import ModelAlias
from core.inference.status import serving_status

pytestmark = pytest.mark.django_db


def badge(body):
    return body.split('data-deployment-status="')[1].split('"')[0]


def test_unapproved_version_awaits_approval_until_the_champion_is_approved(world, client_for):
    a = world["a"]
    client = client_for(world["users"]["a_dev"])
    url = reverse("ui:version", args=[a["version"].pk])
    # The champion request is still pending: the deployment serves an unapproved version.
    assert serving_status(a["deployment"])["code"] == "awaiting_approval"
    body = client.get(url).content.decode()
    assert badge(body) == "awaiting_approval" and "Active — awaiting approval" in body
    assert '<span class="badge warn" data-deployment-status="awaiting_approval"' in body

    ModelAlias.objects.create(model=a["model"], name="champion", version=a["version"],
                              updated_by=world["users"]["a_dev"], approved_by=world["users"]["a_dev"])
    body = client.get(url).content.decode()
    assert badge(body) == "live" and ">Live</span>" in body

    a["deployment"].status = "stopped"
    a["deployment"].save(update_fields=["status"])
    body = client.get(url).content.decode()
    assert badge(body) == "stopped" and ">Stopped</span>" in body


def test_an_alias_nobody_approved_is_not_enough(world):
    a = world["a"]
    ModelAlias.objects.create(model=a["model"], name="champion", version=a["version"], approved_by=None)
    assert serving_status(a["deployment"])["code"] == "awaiting_approval"
    assert str(serving_status(a["deployment"])["title"]) == "Serving a version without an approved champion alias"
