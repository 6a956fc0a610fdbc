import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself (seeding) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def chromium():
    # Fail, never skip: a CI run without a browser must not pass as if the UI were tested.
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) "
                    "to run the browser tests", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def remote_requests(page):
    """What the page asked of hosts other than this machine (the UI must work air-gapped)."""
    return [url for url in page.requests
            if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in LOCAL_HOSTS]


def assert_only_local_requests(page):
    remote = remote_requests(page)
    assert remote == [], f"requests left the machine: {remote}"


def new_page(chromium):
    """A page in a fresh browser context (its own cookies: one login); records every request
    and page error."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def page(chromium):
    page = new_page(chromium)
    yield page
    page.context.close()
    # Chromium reports each thing the Content-Security-Policy blocked as a console error.
    blocked = [e for e in page.errors if "Content Security Policy" in e]
    assert blocked == [], f"the CSP blocked: {blocked}"


@pytest.fixture
def screenshot(page):
    """screenshot(name): saved under $ZHONGTAI_E2E_SCREENSHOTS when set (for a look by eye)."""
    folder = os.environ.get("ZHONGTAI_E2E_SCREENSHOTS")

    def take(name):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take
