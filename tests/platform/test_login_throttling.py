"""Login throttling (django-axes): username + address locked after the failure limit, on
the API and the sign-in page alike, each failure and each lockout in the audit log."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from core.platform.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def try_token(api, password, ip="10.0.0.5", username="a_dev", **headers):
    return api().post(TOKEN_URL, {"username": username, "password": password}, format="json",
                      REMOTE_ADDR=ip, **headers)


def fail_to_limit(api, **kw):
    # The failure that reaches the limit is itself answered with the lockout.
    for i in range(1, settings.AXES_FAILURE_LIMIT + 1):
        r = try_token(api, "wrong", **kw)
        assert r.status_code == (429 if i == settings.AXES_FAILURE_LIMIT else 400), r.content


def test_api_locks_out_after_the_limit_even_for_the_right_password(users, api):
    fail_to_limit(api)
    r = try_token(api, "pw-a_dev")
    assert r.status_code == 429
    body = r.json()
    assert body["status"] == 429 and "Too many failed sign-ins" in body["message"]
    assert int(r["Retry-After"]) == settings.LOGIN_COOLOFF_MINUTES * 60
    assert "token" not in body


def test_each_failure_and_the_lockout_are_audited_once(users, api):
    fail_to_limit(api)
    try_token(api, "pw-a_dev")
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1
    assert {e.data["username"] for e in failed} == {"a_dev"}
    assert {e.data["ip"] for e in failed} == {"10.0.0.5"}
    assert all("password" not in e.data for e in failed)
    locked = list(AuditEvent.objects.filter(action="auth.locked_out"))
    assert len(locked) == 1
    assert locked[0].data["username"] == "a_dev" and locked[0].data["failures"] == settings.AXES_FAILURE_LIMIT


def test_lockout_is_per_username_and_address(users, api):
    fail_to_limit(api)
    assert try_token(api, "pw-a_dev", ip="10.0.0.6").status_code == 200
    assert try_token(api, "pw-a_dev2", username="a_dev2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock(users, api):
    for i in range(settings.AXES_FAILURE_LIMIT):
        try_token(api, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert try_token(api, "pw-a_dev", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_it_appended_is_the_client(users, api):
    # The proxy (REMOTE_ADDR 10.0.0.1) appends the real peer; the client's own entries come before it.
    fail_to_limit(api, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert try_token(api, "pw-a_dev", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7").status_code == 429
    assert try_token(api, "pw-a_dev", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200
    assert AuditEvent.objects.filter(action="auth.locked_out").get().data["ip"] == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_garbled_forwarded_for_falls_back_to_the_connection_address(users, api):
    # A proxy count set too high must not let a client's text reach the address column.
    assert try_token(api, "wrong", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address").status_code == 400
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_the_lock_lifts_after_the_cool_off(users, api):
    fail_to_limit(api)
    assert try_token(api, "pw-a_dev").status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                 - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES + 1))
    assert try_token(api, "pw-a_dev").status_code == 200


def test_a_success_before_the_limit_resets_the_count(users, api):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        try_token(api, "wrong")
    assert try_token(api, "pw-a_dev").status_code == 200
    try_token(api, "wrong")
    assert try_token(api, "pw-a_dev").status_code == 200


def test_sign_in_page_shows_the_lockout_with_429(users, client):
    url = reverse("login")
    for i in range(1, settings.AXES_FAILURE_LIMIT + 1):
        r = client.post(url, {"username": "a_dev", "password": "wrong"})
        # The form again with its error, until the failure that reaches the limit.
        assert r.status_code == (429 if i == settings.AXES_FAILURE_LIMIT else 200)
    r = client.post(url, {"username": "a_dev", "password": "pw-a_dev"})
    assert r.status_code == 429
    assert 'id="lockout"' in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked_out", data__username="a_dev").exists()


def test_api_and_page_share_one_count(users, api, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "a_dev", "password": "wrong"}, REMOTE_ADDR="10.0.0.5")
    assert try_token(api, "pw-a_dev").status_code == 429
