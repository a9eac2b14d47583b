"""Helpers for browser journeys: sign in through the real form, save full-page screenshots."""

from pathlib import Path

from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "e2e"


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through /accounts/login/ as a person would, and wait for the page that follows."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as artifacts/e2e/<name>.png (gitignored) and return its path."""
    path = SCREENSHOT_DIR / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
