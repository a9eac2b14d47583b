"""Browser journeys: Debian chromium driven by Playwright's sync API against pytest-django's live_server.

Every test under tests/e2e is marked ``e2e`` automatically. ``live_server`` brings a transactional
database (with serialized rollback, see ``page``), so data created in a test is visible to the server
thread; users need a real password (``UserFactory`` sets "correct horse battery staple").
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .a11y import audited, summary_properties
from .helpers import login, shot

# Playwright's sync API runs an asyncio loop in the test thread; Django's ORM refuses to run "inside" it
# unless told that this is safe (it is: the loop is only Playwright's, and the tests are synchronous).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent

__all__ = ["login", "shot"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be in place before tests/conftest.py deselects e2e tests without chromium.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback, request):
    """A fresh browser context per test (no cookies carried over), in Chinese, on a laptop-sized screen,
    whose every page is checked with axe-core (tests/e2e/a11y.py).

    live_server tests are transactional: the database is flushed after each, which would also remove
    the reference data that migrations load (sectors, districts, role groups, review settings).
    Serialized rollback puts it back before every test.
    """
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    audit = audited(page)
    yield page
    try:
        audit.check()
    finally:
        request.node.user_properties.extend(summary_properties(audit))
        context.close()
