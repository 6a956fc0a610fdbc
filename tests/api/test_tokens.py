"""API tokens expire after settings.TOKEN_TTL_HOURS; signing in again rotates an expired one."""
from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from core.platform.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def sign_in(api, **headers):
    return api().post(TOKEN_URL, {"username": "a_dev", "password": "pw-a_dev"}, format="json", **headers)


def age(key, hours):
    Token.objects.filter(key=key).update(created=Token.objects.get(key=key).created - timedelta(hours=hours))


def call(api, key):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/models/")


def test_a_token_works_until_its_ttl_then_401(users, api):
    r = sign_in(api)
    assert r.status_code == 200
    key = r.json()["token"]
    assert r.json()["expires_at"]
    assert call(api, key).status_code == 200
    age(key, settings.TOKEN_TTL_HOURS - 0.1)
    assert call(api, key).status_code == 200
    age(key, 0.2)
    r = call(api, key)
    assert r.status_code == 401
    assert "token expired" in r.json()["message"]
    assert r["WWW-Authenticate"] == "Token"


def test_signing_in_again_returns_the_live_token_and_rotates_an_expired_one(users, api):
    key = sign_in(api).json()["token"]
    assert sign_in(api).json()["token"] == key
    age(key, settings.TOKEN_TTL_HOURS + 1)
    # The client still sends its expired token while it signs in again.
    r = sign_in(api, HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 200
    new = r.json()["token"]
    assert new != key
    assert not Token.objects.filter(key=key).exists()
    assert call(api, new).status_code == 200
    issued = [e.data["rotated"] for e in AuditEvent.objects.filter(action="auth.token_issued").order_by("seq")]
    assert issued == [False, True]


def test_delete_revokes_the_callers_token(users, api):
    key = sign_in(api).json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(TOKEN_URL).status_code == 204
    assert call(api, key).status_code == 401
    assert AuditEvent.objects.filter(action="auth.token_revoked", actor=users["a_dev"]).count() == 1
    assert api().delete(TOKEN_URL).status_code == 401


def test_bad_requests_are_json_400(users, api):
    r = api().post(TOKEN_URL, {"username": "a_dev"}, format="json")
    assert r.status_code == 400
    assert "password" in r.json()["errors"]
    r = api().post(TOKEN_URL, {"username": "a_dev", "password": "wrong"}, format="json")
    assert r.status_code == 400 and r.json()["message"]
