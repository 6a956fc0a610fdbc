"""No data crosses sibling organisations: every role of branch B asks for every object
of branch A by every URL pattern and method, lists every collection, and names A's
objects as job inputs and deployment sources. Any 2xx on A's object fails, and so
does any listing that shows one of A's names."""
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from core.platform.lib import roles

from .world import BODIES, MARK, NOT_ORGANISATION_OBJECTS, TARGETS, build_branch

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def all_patterns(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from all_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def names_an_object(route, pattern):
    return bool(pattern.pattern.regex.groupindex)


def object_patterns():
    return [route for route, p in all_patterns()
            if names_an_object(route, p) and not route.startswith(NOT_ORGANISATION_OBJECTS)]


def collection_patterns():
    return [route for route, p in all_patterns()
            if not names_an_object(route, p) and not route.startswith(NOT_ORGANISATION_OBJECTS)]


def test_every_object_pattern_has_a_generator():
    missing = [r for r in object_patterns() if r not in TARGETS]
    assert not missing, f"URL patterns naming an object with no isolation generator in tests/security/world.py: {missing}"
    stale = [r for r in TARGETS if r not in set(object_patterns())]
    assert not stale, f"generators for patterns that no longer exist: {stale}"


@pytest.fixture
def world(orgs, make_user):
    a_dev = make_user("a-dev", orgs["a"], roles.DEVELOPER)
    objs = build_branch(orgs["a"], a_dev)
    objs["org"] = orgs["a"]
    siblings = {role: make_user(f"b-{role}", orgs["b"], role) for role in roles.ROLES}
    return objs, siblings


def _clients(user):
    """Signed in for both the API (token-less force) and the pages (a session), so a page route
    answers as that user would see it, not with the login redirect an anonymous visitor gets."""
    api = APIClient()
    api.force_authenticate(user)
    api.force_login(user)
    return api


def _request(client, method, path):
    body = next((b for key, b in BODIES.items() if key in path), {})
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, format="json")


def test_sibling_roles_get_no_2xx_on_any_object_of_branch_a(world):
    objs, siblings = world
    assert not any(u.is_staff or u.is_superuser for u in siblings.values())
    leaks = []
    for role, user in siblings.items():
        client = _clients(user)
        for route in object_patterns():
            paths = TARGETS[route](objs)
            for path in paths if isinstance(paths, list) else [paths]:
                for method in METHODS:
                    r = _request(client, method, path)
                    if 200 <= r.status_code < 300:
                        leaks.append(f"{role} {method.upper()} {path} -> {r.status_code}")
    assert not leaks, "\n".join(leaks)


def test_the_generators_name_real_objects(world):
    """The owner's GET reaches every object the sweep uses: a sibling's refusal is the
    scoping's, not a path that names nothing."""
    objs, _ = world
    owner = _clients(objs["version"].created_by)
    missing = []
    for route in object_patterns():
        paths = TARGETS[route](objs)
        for path in paths if isinstance(paths, list) else [paths]:
            r = owner.get(path)
            if r.status_code == 404:
                missing.append(f"{path}: {r.content[:120]!r}")
    assert not missing, "\n".join(missing)


def _body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def test_sibling_roles_never_see_branch_a_in_any_list_or_page(world):
    objs, siblings = world
    secret_sha = objs["artifact"].sha256.encode()
    leaks = []
    for role, user in siblings.items():
        client = _clients(user)
        for route in collection_patterns():
            path = "/" + route.replace("^", "").replace("$", "")
            if "(?P" in path or "<" in path or "api/schema" in path or "docs" in path or "redoc" in path:
                continue
            r = client.get(path)
            body = _body(r)
            if MARK.encode() in body or secret_sha in body:
                leaks.append(f"{role} GET {path} -> {r.status_code} shows branch A")
    assert not leaks, "\n".join(leaks)


def test_sibling_jobs_cannot_name_branch_a_inputs(world):
    objs, siblings = world
    for role in (roles.DEVELOPER, roles.ADMIN):
        client = _clients(siblings[role])
        for params in ({"dataset_version": objs["dataset_version"].pk, "target": "y"},
                       {"dataset_version": objs["dataset_version"].pk, "target": "y", "model_id": objs["model"].pk},
                       {"model_id": objs["model"].pk}):
            for trainer in ("core.linear_regression", "finance.fraud", "finance.scorecard", "dummy.least_squares"):
                r = client.post("/api/v1/jobs/", {"trainer": trainer, "organisation": "plant-b", "params": params},
                                format="json")
                assert r.status_code == 400, (role, trainer, params, r.status_code, r.content)
                assert MARK not in r.content.decode()
        r = client.post("/api/v1/deployments/", {"name": "stolen", "organisation": "plant-b",
                                                 "model_version": objs["version"].pk, "profile": "dummy-cpu-numpy"},
                        format="json")
        assert 400 <= r.status_code < 500, r.content


def test_hq_cannot_deploy_a_branch_model_into_its_sibling(world, orgs, make_user):
    objs, _ = world
    hq_dev = make_user("hq-dev", orgs["hq"], roles.DEVELOPER)
    client = _clients(hq_dev)
    r = client.post("/api/v1/deployments/", {"name": "moved", "organisation": "plant-b",
                                             "model_version": objs["version"].pk, "profile": "dummy-cpu-numpy"},
                    format="json")
    assert r.status_code == 403 and "not shared with" in r.json()["message"]
    # The same version may serve in its own branch, and HQ may serve it where it can see it.
    r = client.post("/api/v1/deployments/", {"name": "second", "organisation": "plant-a",
                                             "model_version": objs["version"].pk, "profile": "dummy-cpu-numpy"},
                    format="json")
    assert r.status_code == 201, r.content


def test_identical_bytes_give_each_organisation_its_own_record(world):
    objs, siblings = world
    from core.hub.storage import get_storage

    content = get_storage().local_path(objs["artifact"].sha256).read_bytes()
    f = io.BytesIO(content)
    f.name = "mine.json"
    client = _clients(siblings[roles.DEVELOPER])
    r = client.post("/api/v1/artifacts/", {"file": f, "organisation": "plant-b"}, format="multipart")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["sha256"] == objs["artifact"].sha256
    assert body["filename"] == "mine.json" and body["organisation"]["code"] == "plant-b"
    assert MARK not in r.content.decode() and "plant-a" not in r.content.decode()
    again = client.get(f"/api/v1/artifacts/{objs['artifact'].sha256}/")
    assert again.status_code == 200 and again.json()["organisation"]["code"] == "plant-b"
    download = client.get(f"/api/v1/artifacts/{objs['artifact'].sha256}/download/")
    assert "mine.json" in download["Content-Disposition"]
    # Branch A still sees its own record, not B's.
    mine = _clients(objs["version"].created_by).get(f"/api/v1/artifacts/{objs['artifact'].sha256}/")
    assert mine.json()["organisation"]["code"] == "plant-a" and mine.json()["filename"] == "weights.json"
