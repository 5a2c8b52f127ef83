"""Shared fixtures for browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

    browser      one Chromium for the whole session (skipped when /usr/bin/chromium is absent; a failure under CI=true)
    page         a fresh browser context and page per test (1440x900, en-US)
    staff_user   a superuser (STAFF_USERNAME / STAFF_PASSWORD)
    staff_page   a page logged in as that superuser through the admin login form
    screenshot   `screenshot(page, name)` saves <TEST_ARTIFACTS_DIR>/<name>.png and returns the path

Browser tests use the `transactional_db` (the live server runs in another thread
and must see committed data) and are marked `@pytest.mark.browser`.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import in_ci

# Playwright's sync API runs an asyncio event loop in the test thread, and Django
# refuses ORM calls from a thread with a running loop unless told it is safe.
# Here it is: the loop only drives the browser, never Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
STAFF_USERNAME = "staff"
STAFF_PASSWORD = "browser-test-password"
DEFAULT_ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"


def artifacts_dir() -> Path:
    directory = Path(os.environ.get("TEST_ARTIFACTS_DIR") or DEFAULT_ARTIFACTS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def save_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of `page` as <TEST_ARTIFACTS_DIR>/<name>.png and return its path."""
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if in_ci():
            pytest.fail(f"{message} CI must run the browser tests.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def staff_user(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser(
        username=STAFF_USERNAME, email="staff@example.com", password=STAFF_PASSWORD
    )


@pytest.fixture
def staff_page(page, live_server, staff_user):
    """A page logged in as a superuser, on the admin index of `live_server`."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", STAFF_USERNAME)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: save a PNG to the test artifacts directory; returns the path."""
    return save_screenshot
