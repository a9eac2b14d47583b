"""Helpers for browser journeys: sign in through the real form, act on the review page, save full-page
screenshots."""

from pathlib import Path

from playwright.sync_api import Page

from tests.factories import PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "e2e"


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through /accounts/login/ as a person would, and wait for the page that follows."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as artifacts/e2e/<name>.png (gitignored) and return its path."""
    path = SCREENSHOT_DIR / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def as_user(page: Page, live_server, user) -> None:
    """Sign out whoever is signed in, and sign in as ``user`` (a factory-made user, with its password)."""
    page.context.clear_cookies()
    login(page, live_server, user.username, PASSWORD)


def act(page: Page, label: str) -> None:
    """Click the action button with this label on the review page and wait for the page that follows."""
    with page.expect_navigation():
        page.locator("#actions").get_by_role("button", name=label, exact=True).click()
