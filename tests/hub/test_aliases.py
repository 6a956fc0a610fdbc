import pytest

from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model, create_version
from core.hub.models import AliasChangeRequest, ModelAlias
from core.platform.models import AuditEvent


@pytest.fixture
def model(users, orgs):
    import io

    m = create_model(name="scorer", organisation=orgs["a"], vertical="dummy", acting_user=users["a_dev"])
    for i in range(2):
        art, _ = store_artifact(io.BytesIO(f"v{i}".encode()), filename="w", organisation=orgs["a"],
                                acting_user=users["a_dev"])
        create_version(m, artifact=art, acting_user=users["a_dev"])
    return m


def test_unprotected_alias_moves_at_once(api, users, model):
    r = api(users["a_dev"]).post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "challenger", "version": 2},
                                 format="json")
    assert r.status_code == 200 and r.json()["version"] == 2
    assert ModelAlias.objects.get(model=model, name="challenger").version.version == 2


def test_champion_needs_a_second_person(api, users, model):
    r = api(users["a_dev"]).post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "champion", "version": 1,
                                                                          "reason": "best mAP"}, format="json")
    assert r.status_code == 202 and "approval" in r.json()["message"]
    req_id = r.json()["id"]
    assert not ModelAlias.objects.filter(name="champion").exists()
    # The maker cannot approve; neither can a second developer without the approver role.
    assert api(users["a_dev"]).post(f"/api/v1/alias-requests/{req_id}/approve/").status_code == 403
    assert api(users["a_dev2"]).post(f"/api/v1/alias-requests/{req_id}/approve/").status_code == 403
    # An approver in a sibling branch cannot even see it.
    assert api(users["b_dev"]).post(f"/api/v1/alias-requests/{req_id}/approve/").status_code == 404
    r = api(users["a_approver"]).post(f"/api/v1/alias-requests/{req_id}/approve/", {"comment": "ok"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["decided_by"] == "a_approver"
    alias = ModelAlias.objects.get(model=model, name="champion")
    assert alias.version.version == 1 and alias.approved_by == users["a_approver"]
    assert AuditEvent.objects.filter(action="alias.approve", actor_name="a_approver").exists()
    r = api(users["a_approver"]).post(f"/api/v1/alias-requests/{req_id}/reject/")
    assert r.status_code == 400 and "already approved" in r.json()["message"]


def test_approver_cannot_approve_own_request(api, users, orgs, model, make_user):
    from core.platform.actions.organisations import grant_role

    grant_role(user=users["a_approver"], organisation=orgs["a"], role="developer", acting_user=None)
    r = api(users["a_approver"]).post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "champion", "version": 2},
                                      format="json")
    assert r.status_code == 202
    r = api(users["a_approver"]).post(f"/api/v1/alias-requests/{r.json()['id']}/approve/")
    assert r.status_code == 403 and "own request" in r.json()["message"]
    assert not ModelAlias.objects.filter(name="champion").exists()


def test_reject_and_vertical_specific_protection(api, users, model):
    # The dummy vertical protects 'production' as well as 'champion'.
    r = api(users["a_dev"]).post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "production", "version": 2},
                                 format="json")
    assert r.status_code == 202
    r = api(users["hq_approver"]).post(f"/api/v1/alias-requests/{r.json()['id']}/reject/",
                                       {"comment": "needs revalidation"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert not ModelAlias.objects.filter(name="production").exists()
    assert AliasChangeRequest.objects.get().comment == "needs revalidation"


def test_alias_to_missing_version(api, users, model):
    r = api(users["a_dev"]).post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "champion", "version": 9},
                                 format="json")
    assert r.status_code == 400 and "no version 9" in r.json()["message"]
    assert AliasChangeRequest.objects.count() == 0


def test_auditor_reads_but_cannot_change(api, users, model):
    c = api(users["hq_auditor"])
    assert c.get(f"/api/v1/models/{model.pk}/").status_code == 200
    assert c.get("/api/v1/audit/events/").status_code == 200
    assert c.post(f"/api/v1/models/{model.pk}/aliases/", {"alias": "x", "version": 1}, format="json").status_code == 403
    assert c.post("/api/v1/models/", {"name": "z", "organisation": "hq"}, format="json").status_code == 403
    assert c.patch(f"/api/v1/models/{model.pk}/", {"published": True}, format="json").status_code == 403
