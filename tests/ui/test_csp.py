"""The Content-Security-Policy: scripts only from this origin's files, no eval, no CDN; the
templates hold nothing the policy would block."""
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = sorted(p for d in ("core", "verticals") for p in (ROOT / d).rglob("templates/**/*.html"))


def policy(response):
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def test_templates_were_found():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_nothing_the_policy_blocks(template):
    html = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "javascript:" not in html
    for tag in re.findall(r"<style\b[^>]*>", html):
        assert "nonce=" in tag, f"inline <style> without the CSP nonce: {tag}"
    for trigger in re.findall(r'hx-trigger="([^"]*)"', html):
        # from:input[type=date] is a CSS selector; a [condition] on an event is evaluated JavaScript.
        assert "[" not in re.sub(r"(from|target):[^\s,]+", "", trigger), f"htmx trigger filter needs eval: {trigger}"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "a CDN or remote asset"


@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_script_or_eval(users, client):
    client.force_login(users["a_dev"])
    for url in (reverse("ui:home"), reverse("login")):
        response = client.get(url)
        csp = policy(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in csp["style-src-elem"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_swagger_runs_under_the_policy(users, client):
    client.force_login(users["a_viewer"])
    response = client.get("/api/docs/")
    html = response.content.decode()
    nonce = re.search(r'<style nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in policy(response)["style-src-elem"]
    assert not re.search(r"<script>", html)
    script = re.search(r'<script src="(/api/docs/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    init = client.get(script)
    assert init.status_code == 200 and "javascript" in init["Content-Type"]
    assert b"SwaggerUIBundle" in init.content


@pytest.mark.django_db
def test_only_redoc_may_inject_styles(users, client):
    client.force_login(users["a_viewer"])
    response = client.get("/api/redoc/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in policy(response)["style-src-elem"]
    assert "fonts.googleapis" not in response.content.decode()
