"""The checker's step on the hub's model page, for a model of any vertical: an approver of
the model's organisation approves or rejects someone else's pending alias change; the maker,
a developer and a sibling branch cannot, and each refusal says why."""
import io

import pytest
from django.urls import reverse

from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model, create_version, request_alias
from core.hub.models import AliasChangeRequest, ModelAlias


@pytest.fixture
def pending(users, orgs):
    model = create_model(name="scorer", organisation=orgs["a"], vertical="dummy", acting_user=users["a_dev"])
    art, _ = store_artifact(io.BytesIO(b"v1"), filename="w", organisation=orgs["a"], acting_user=users["a_dev"])
    version = create_version(model, artifact=art, acting_user=users["a_dev"])
    _, req = request_alias(model, alias="champion", version=version, acting_user=users["a_dev"], reason="best")
    return req


def decide(client, user, req, decision, comment=""):
    client.force_login(user)
    return client.post(reverse("ui:decide_request", args=[req.pk]), {"decision": decision, "comment": comment},
                       follow=True)


def test_the_approver_sees_the_buttons_and_approves(client, users, pending):
    client.force_login(users["a_approver"])
    page = client.get(reverse("ui:model", args=[pending.model_id]))
    assert f'data-request="{pending.pk}"' in page.content.decode()
    r = decide(client, users["a_approver"], pending, "approve", "checked the holdout")
    assert r.status_code == 200 and "Approved: champion of scorer now points to v1" in r.content.decode()
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.comment == "checked the holdout"
    assert ModelAlias.objects.get(model=pending.model, name="champion").approved_by == users["a_approver"]


def test_reject_leaves_the_alias_where_it_was(client, users, pending):
    r = decide(client, users["a_approver"], pending, "reject")
    assert "Rejected" in r.content.decode()
    assert AliasChangeRequest.objects.get(pk=pending.pk).status == "rejected"
    assert not ModelAlias.objects.filter(model=pending.model).exists()


def test_the_maker_and_a_developer_are_refused_with_a_reason(client, users, pending):
    client.force_login(users["a_dev"])
    page = client.get(reverse("ui:model", args=[pending.model_id])).content.decode()
    assert f'data-request="{pending.pk}"' not in page and "Yours: another approver decides" in page
    r = decide(client, users["a_dev"], pending, "approve")
    assert "you may not approve alias changes" in r.content.decode()
    r = decide(client, users["a_dev2"], pending, "approve")
    assert "you may not approve alias changes" in r.content.decode()
    assert AliasChangeRequest.objects.get(pk=pending.pk).status == "pending"


def test_a_sibling_branch_cannot_reach_it_and_nonsense_is_refused(client, users, pending):
    client.force_login(users["b_dev"])
    assert client.post(reverse("ui:decide_request", args=[pending.pk]), {"decision": "approve"}).status_code == 404
    r = decide(client, users["a_approver"], pending, "maybe")
    assert "Choose approve or reject." in r.content.decode()
    assert client.get(reverse("ui:decide_request", args=[pending.pk])).status_code == 405
    assert AliasChangeRequest.objects.get(pk=pending.pk).status == "pending"
