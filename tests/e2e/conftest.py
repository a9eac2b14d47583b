"""Browser journeys: Debian chromium driven by Playwright's sync API against pytest-django's live_server.

Every test under tests/e2e is marked ``e2e`` automatically. ``live_server`` brings a transactional
database (with serialized rollback, see ``page``), so data created in a test is visible to the server
thread; users need a real password (``UserFactory`` sets "correct horse battery staple").
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

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
REPORT = E2E_DIR.parents[1] / "artifacts" / "a11y" / "report.json"  # gitignored: every check of the last run

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


def pytest_terminal_summary(terminalreporter):
    """How many pages the axe-core check saw, and (under A11Y_AUDIT=report) the violations by rule; the
    whole of it in artifacts/a11y/report.json."""
    pages, violations = [], []
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "a11y":
                    data = json.loads(value)
                    pages += data["pages"]
                    violations += data["violations"]
    if not pages:
        return
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"pages": pages, "violations": violations}, ensure_ascii=False, indent=1))
    terminalreporter.section("accessibility (axe-core, serious and critical)")
    distinct = {urlsplit(url).path for url in pages}
    nodes = sum(len(v["nodes"]) for v in violations)
    terminalreporter.write_line(
        f"{len(pages)} pages checked ({len(distinct)} distinct paths): {nodes} violating elements")
    by_rule: dict[str, list] = {}
    for violation in violations:
        by_rule.setdefault(violation["rule"], []).append(violation)
    for rule, found in sorted(by_rule.items()):
        paths = sorted({urlsplit(v["page"]).path for v in found})
        terminalreporter.write_line(
            f"  {rule}: {sum(len(v['nodes']) for v in found)} elements on {len(paths)} paths: {', '.join(paths)}")
