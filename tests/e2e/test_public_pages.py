"""The public pages and signing in, in a real browser."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

from .helpers import login, shot

pytestmark = pytest.mark.e2e



def zh(message: str) -> str:
    """The zh-Hans text the page must show for an English msgid (the catalogue in force)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_home_page_renders_in_chinese_with_base_layout(page, live_server):
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("nav.portal-navbar")).to_contain_text(settings.PORTAL["BUREAU_NAME"])
    expect(page.locator("footer.portal-footer")).to_be_visible()
    expect(page.locator("main h1")).to_have_text(zh("Industrial technology innovation strategic alliances"))
    expect(page.locator("main a[href='/accounts/login/']").first).to_be_visible()
    shot(page, "public-home")


def test_sign_in_page_shows_the_form(page, live_server):
    page.goto(live_server.url + "/accounts/login/")

    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_attribute("type", "password")
    expect(page.locator("main form button[type=submit]")).to_be_enabled()
    shot(page, "sign-in")


def test_sign_in_wrong_password_shows_error_and_keeps_user_name(page, live_server):
    UserFactory(username="zhangwei")

    login(page, live_server, "zhangwei", "not the password")

    assert page.url.endswith("/accounts/login/")
    # Django's own zh-Hans message for a wrong user name or password
    expect(page.locator("form .alert-danger")).to_contain_text("用户名")
    expect(page.locator("input[name=username]")).to_have_value("zhangwei")
    expect(page.locator("input[name=password]")).to_have_value("")
    shot(page, "sign-in-wrong-password")


def test_sign_in_correct_password_lands_on_to_do_page(page, live_server):
    UserFactory(username="lina", full_name="李娜")

    login(page, live_server, "lina", PASSWORD)

    assert re.fullmatch(re.escape(live_server.url) + "/?", page.url)
    expect(page.locator("nav .dropdown-toggle")).to_contain_text("李娜")
    expect(page.locator("main h1")).to_have_text(zh("To-do"))
    expect(page.locator("input[name=password]")).to_have_count(0)
    shot(page, "to-do-after-sign-in")
