"""The API documentation pages and the sign-in lockout, in a real browser under the CSP
(the page fixture fails a test on anything the policy blocks)."""
import pytest
from django.urls import reverse

from tests.e2e.test_lineage_browser import assert_only_local_requests, sign_in
from tests.ui import scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_draws_the_operations(live_server, page):
    scene.build()
    sign_in(page, live_server.url, "a_dev")
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    # the tags' headings: Swagger UI draws them in sections, or in a virtual list once the API
    # has 150 operations or more
    page.wait_for_selector(".opblock-tag")
    assert "/api/v1/auth/token/" in page.inner_text(".swagger-ui")
    assert page.errors == []
    assert_only_local_requests(page)


def test_redoc_draws_the_operations(live_server, page):
    scene.build()
    sign_in(page, live_server.url, "a_dev")
    page.goto(live_server.url + "/api/redoc/")
    page.wait_for_selector("h1", timeout=30000)
    assert "Zhongtai API" in page.inner_text("body")
    # Redoc's bundle links its maker's logo from a CDN: the policy is what keeps it on the machine.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    blocked = [e for e in page.errors if "Content Security Policy" in e]
    assert len(blocked) == 1 and logo in blocked[0], page.errors
    page.errors.remove(blocked[0])
    assert page.errors == []
    page.requests[:] = [u for u in page.requests if u != logo]
    assert_only_local_requests(page)


def test_sign_in_lockout_is_shown(live_server, page, settings):
    scene.build()
    page.goto(live_server.url + reverse("login"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_username", "a_dev")
        page.fill("#id_password", "not-the-password")
        page.click("#sign-in")
        page.wait_for_load_state()
    assert "Too many failed sign-ins" in page.inner_text("#lockout")
    page.fill("#id_username", "a_dev")
    page.fill("#id_password", scene.PASSWORD)
    page.click("#sign-in")
    page.wait_for_selector("#lockout")
    # 429 responses show in the console as failed loads; nothing else may.
    assert [e for e in page.errors if "429" not in e] == []
