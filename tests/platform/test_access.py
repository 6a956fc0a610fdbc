from core.platform import access
from core.platform.lib import roles


def test_roles_apply_to_the_subtree(users, orgs):
    hq_dev = users["hq_dev"]
    assert access.org_ids_with(hq_dev) == {o.id for o in orgs.values()}
    assert access.can(hq_dev, roles.DEVELOP, orgs["b"])
    a_dev = users["a_dev"]
    assert access.org_ids_with(a_dev) == {orgs["a"].id}
    assert not access.can(a_dev, roles.READ, orgs["b"])
    assert not access.can(a_dev, roles.READ, orgs["hq"])
    assert access.ancestor_org_ids(a_dev) == {orgs["hq"].id, orgs["east"].id, orgs["a"].id}


def test_capabilities_follow_roles(users, orgs):
    a = orgs["a"]
    assert not access.can(users["a_viewer"], roles.DEVELOP, a)
    assert access.can(users["a_operator"], roles.PREDICT, a)
    assert not access.can(users["a_dev"], roles.APPROVE, a)
    assert access.can(users["a_approver"], roles.APPROVE, a)
    assert access.can(users["hq_auditor"], roles.READ_AUDIT, a)
    assert not access.can(users["hq_auditor"], roles.DEVELOP, a)


def test_org_api_lists_only_visible(api, users, orgs):
    codes = {o["code"] for o in api(users["a_dev"]).get("/api/v1/organisations/").json()["results"]}
    assert codes == {"plant-a"}
    codes = {o["code"] for o in api(users["hq_admin"]).get("/api/v1/organisations/").json()["results"]}
    assert codes == {"hq", "east", "plant-a", "plant-b"}


def test_admin_creates_branch_and_grants_role(api, users, orgs, make_user):
    c = api(users["hq_admin"])
    r = c.post("/api/v1/organisations/", {"name": "Plant C", "code": "plant-c", "kind": "branch",
                                          "parent": orgs["east"].id}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["path"] == f"{orgs['east'].path}{r.json()['id']}/"
    newbie = make_user("newbie")
    r2 = c.post(f"/api/v1/organisations/{r.json()['id']}/members/", {"username": "newbie", "role": "viewer"},
                format="json")
    assert r2.status_code == 201
    assert access.org_ids_with(newbie) == {r.json()["id"]}


def test_org_api_rejects_bad_input(api, users, orgs):
    c = api(users["a_dev"])
    r = c.post("/api/v1/organisations/", {"name": "X", "code": "x", "kind": "branch", "parent": orgs["a"].id},
               format="json")
    assert r.status_code == 403 and "may not" in r.json()["message"]
    r = api(users["hq_admin"]).post("/api/v1/organisations/", {"name": "X", "code": "x", "kind": "branch",
                                                               "parent": None}, format="json")
    assert r.status_code == 403
    r = api(users["hq_admin"]).post("/api/v1/organisations/", {"name": "X", "code": "x", "kind": "planet",
                                                               "parent": orgs["hq"].id}, format="json")
    assert r.status_code == 400 and "kind" in r.json()["errors"]
