import pytest

from core.hub.models import ModelVersion, RegisteredModel
from core.platform.models import AuditEvent


@pytest.fixture
def make_model(api, upload):
    def make(user, org, name, published=False, versions=1):
        c = api(user)
        r = c.post("/api/v1/models/", {"name": name, "organisation": org, "published": published}, format="json")
        assert r.status_code == 201, r.content
        model_id = r.json()["id"]
        for i in range(versions):
            sha = upload(user, org, f"{name}-{i}".encode()).json()["sha256"]
            rv = c.post(f"/api/v1/models/{model_id}/versions/", {"artifact": sha, "metrics": {"map50": 0.5 + i / 10}},
                        format="json")
            assert rv.status_code == 201, rv.content
        return model_id

    return make


def test_create_model_and_versions(api, users, make_model):
    model_id = make_model(users["a_dev"], "plant-a", "defect-det", versions=2)
    r = api(users["a_viewer"]).get(f"/api/v1/models/{model_id}/")
    assert r.status_code == 200
    assert r.json()["latest_version"] == 2 and r.json()["organisation"]["code"] == "plant-a"
    versions = api(users["a_viewer"]).get(f"/api/v1/models/{model_id}/versions/").json()["results"]
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["metrics"] == {"map50": 0.6}
    assert AuditEvent.objects.filter(action="model_version.create").count() == 2


def test_sharing_down_the_tree_not_across(api, users, make_model):
    hq_shared = make_model(users["hq_dev"], "hq", "hq-shared", published=True)
    hq_private = make_model(users["hq_dev"], "hq", "hq-private")
    a_model = make_model(users["a_dev"], "plant-a", "a-model")
    names = lambda u: {m["name"] for m in api(u).get("/api/v1/models/").json()["results"]}  # noqa: E731
    assert names(users["a_viewer"]) == {"hq-shared", "a-model"}
    assert names(users["b_dev"]) == {"hq-shared"}
    assert names(users["hq_dev"]) == {"hq-shared", "hq-private", "a-model"}
    assert api(users["b_dev"]).get(f"/api/v1/models/{a_model}/").status_code == 404
    assert api(users["b_dev"]).get(f"/api/v1/models/{hq_private}/").status_code == 404
    v = ModelVersion.objects.get(model_id=a_model)
    assert api(users["b_dev"]).get(f"/api/v1/versions/{v.pk}/").status_code == 404
    # A branch can read HQ's shared model but not add versions to it.
    r = api(users["a_dev"]).post(f"/api/v1/models/{hq_shared}/versions/", {"artifact": v.artifact_id}, format="json")
    assert r.status_code == 403


def test_publish_toggle(api, users, make_model):
    model_id = make_model(users["hq_dev"], "hq", "later-shared")
    assert api(users["a_dev"]).get(f"/api/v1/models/{model_id}/").status_code == 404
    r = api(users["hq_dev"]).patch(f"/api/v1/models/{model_id}/", {"published": True}, format="json")
    assert r.status_code == 200 and r.json()["published"] is True
    assert api(users["a_dev"]).get(f"/api/v1/models/{model_id}/").status_code == 200


def test_bad_input_gets_clear_errors_and_writes_nothing(api, users, make_model):
    c = api(users["a_dev"])
    before = (RegisteredModel.objects.count(), AuditEvent.objects.count())
    r = c.post("/api/v1/models/", data="{not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json()["message"]
    r = c.post("/api/v1/models/", {"name": "Bad Name!", "organisation": "plant-a"}, format="json")
    assert r.status_code == 400 and "name" in r.json()["errors"]
    r = c.post("/api/v1/models/", {"name": "ok", "organisation": "plant-b"}, format="json")
    assert r.status_code == 400 and "unknown organisation" in r.json()["message"]
    r = c.post("/api/v1/models/", {"name": "ok", "organisation": "plant-a", "vertical": "nope"}, format="json")
    assert r.status_code == 400 and "vertical" in r.json()["errors"]
    assert (RegisteredModel.objects.count(), AuditEvent.objects.count()) == before
    r = c.get("/api/v1/models/999999/")
    assert r.status_code == 404 and r.json()["message"]
    model_id = make_model(users["a_dev"], "plant-a", "dup")
    r = c.post("/api/v1/models/", {"name": "dup", "organisation": "plant-a"}, format="json")
    assert r.status_code == 400 and "already has" in r.json()["message"]
    r = c.post(f"/api/v1/models/{model_id}/versions/", {"artifact": "a" * 64}, format="json")
    assert r.status_code == 400 and "upload it first" in r.json()["message"]
    r = c.post(f"/api/v1/models/{model_id}/versions/", {"artifact": "xyz"}, format="json")
    assert r.status_code == 400


def test_unauthenticated_and_unknown_endpoint(api):
    r = api().get("/api/v1/models/")
    assert r.status_code in (401, 403) and r.json()["message"]
    r = api().get("/api/v1/no-such-thing/")
    assert r.status_code == 404 and "no API endpoint" in r.json()["message"]


def test_model_type_checked_against_vertical(api, users):
    c = api(users["a_dev"])
    r = c.post("/api/v1/models/", {"name": "lin", "organisation": "plant-a", "vertical": "dummy",
                                   "model_type": "linear"}, format="json")
    assert r.status_code == 201, r.content
    r = c.post("/api/v1/models/", {"name": "lin2", "organisation": "plant-a", "vertical": "dummy",
                                   "model_type": "quadratic"}, format="json")
    assert r.status_code == 400 and "model_type" in r.json()["errors"]


def test_token_auth_endpoint(api, users):
    r = api().post("/api/v1/auth/token/", {"username": "a_dev", "password": "pw-a_dev"}, format="json")
    assert r.status_code == 200 and len(r.json()["token"]) == 40
    r = api().post("/api/v1/auth/token/", {"username": "a_dev", "password": "wrong"}, format="json")
    assert r.status_code == 400 and r.json()["message"]
