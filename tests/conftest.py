import io
import json

import pytest
from rest_framework.test import APIClient

from core.platform.actions.organisations import create_organisation, create_user


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path):
    """A signed checkpoint covers one test's chain; the next test's database starts
    over, so each test gets its own checkpoint file (or every later one looks rewritten)."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def orgs(db):
    """HQ -> province -> two sibling branches."""
    hq = create_organisation(name="HQ", code="hq", kind="hq", acting_user=None)
    prov = create_organisation(name="East province", code="east", kind="province", parent=hq, acting_user=None)
    a = create_organisation(name="Plant A", code="plant-a", kind="branch", parent=prov, acting_user=None)
    b = create_organisation(name="Plant B", code="plant-b", kind="branch", parent=prov, acting_user=None)
    return {"hq": hq, "east": prov, "a": a, "b": b}


@pytest.fixture
def make_user(db):
    def make(username, org=None, role=None):
        return create_user(username=username, password="pw-" + username, acting_user=None, organisation=org, role=role)

    return make


@pytest.fixture
def users(orgs, make_user):
    return {
        "hq_dev": make_user("hq_dev", orgs["hq"], "developer"),
        "hq_approver": make_user("hq_approver", orgs["hq"], "approver"),
        "hq_auditor": make_user("hq_auditor", orgs["hq"], "auditor"),
        "hq_admin": make_user("hq_admin", orgs["hq"], "admin"),
        "a_dev": make_user("a_dev", orgs["a"], "developer"),
        "a_dev2": make_user("a_dev2", orgs["a"], "developer"),
        "a_approver": make_user("a_approver", orgs["a"], "approver"),
        "a_viewer": make_user("a_viewer", orgs["a"], "viewer"),
        "a_operator": make_user("a_operator", orgs["a"], "operator"),
        "b_dev": make_user("b_dev", orgs["b"], "developer"),
        "b_auditor": make_user("b_auditor", orgs["b"], "auditor"),
    }


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated as user by token."""
    from rest_framework.authtoken.models import Token

    def make(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def upload(api):
    """upload(user, org_code, content=b"...") -> response of the artifact upload."""

    def do(user, org, content=b"weights", filename="model.bin", **extra):
        f = io.BytesIO(content)
        f.name = filename
        return api(user).post("/api/v1/artifacts/", {"file": f, "organisation": org, **extra}, format="multipart")

    return do


def as_json(response):
    return json.loads(response.content)


def pytest_configure(config):
    import os

    if os.environ.get("ZHONGTAI_REQUIRE_SERVICES") or os.environ.get("CI"):
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        broker = settings.CELERY_BROKER_URL
        if "postgresql" not in engine or not broker.startswith("redis://"):
            raise pytest.UsageError(
                f"CI needs PostgreSQL and Redis: DATABASE_URL gives {engine}, CELERY_BROKER_URL gives {broker}")
        import redis

        redis.Redis.from_url(broker).ping()


@pytest.fixture(scope="session")
def tiny_detector(tmp_path_factory):
    """(bundle zip, COCO folder) of the tiny detector, trained once per session."""
    from tests.detection_fixtures import train_bundle

    return train_bundle(tmp_path_factory.mktemp("tiny-detector"))
