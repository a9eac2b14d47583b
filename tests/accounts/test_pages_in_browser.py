"""Sign-up, verification and colleagues in real chromium: the JavaScript behaviours, both languages, a phone.

Screenshots go to artifacts/h1/ (gitignored) so a person can look at the pages.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from alliances.models import Organisation, RDPlatform
from tests.e2e.a11y import audited, summary_properties
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import OrganisationFactory, make_credit_code, member_user

from .conftest import PASSWORD, plain_member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "h1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """live_server's database is emptied after each test, data migrations included: put their rows back
    (serialized_rollback does not survive a test in which the server thread ran the app)."""
    import importlib

    from django.apps import apps

    importlib.import_module("accounts.migrations.0003_role_groups").create_groups(apps, None)
    importlib.import_module("alliances.migrations.0002_reference_data").load(apps, None)


@pytest.fixture
def open_page(browser, live_server, request):
    """A page in a fresh context whose every page is checked with axe-core (tests/e2e/a11y.py)."""
    contexts, audits = [], []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        audits.append(audited(page))
        return page

    yield open_page
    try:
        for audit in audits:
            audit.check()
    finally:
        for audit in audits:
            request.node.user_properties.extend(summary_properties(audit))
        for context in contexts:
            context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, live_server, username, password=FACTORY_PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def switch_to_english(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # on a phone the menu is folded
        toggler.click()
        expect(page.locator("#language-select")).to_be_visible()
    with page.expect_navigation():
        page.select_option("#language-select", "en")


def test_signup_journey(open_page, live_server, officer):
    page = open_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    enterprise = page.locator("#enterprise-figures")
    expect(enterprise).to_be_visible()
    page.check("#id_org-kind_1")  # university: the enterprise figures disappear
    expect(enterprise).to_be_hidden()
    page.check("#id_org-kind_0")
    expect(enterprise).to_be_visible()

    page.fill("#id_org-name", "淄博华光陶瓷科技有限公司")
    page.fill("#id_org-credit_code", "91350100M000100Y44")  # wrong check character
    page.select_option("#id_org-district", label="张店区")
    page.fill("#id_org-address", "山东省淄博市张店区华光路366号")
    page.fill("#id_org-contact_person", "王芳")
    page.fill("#id_org-phone", "0533-2345678")
    page.fill("#id_org-email", "contact@huaguang.example.cn")
    page.check("#id_org-is_high_tech")
    page.fill("#id_org-rd_staff", "86")
    page.fill("#id_org-rd_spending", "1250.5")
    page.fill("#id_org-revenue", "35600")
    page.select_option("#id_platforms-0-kind", "enterprise_centre")
    page.select_option("#id_platforms-0-level", "provincial")
    page.click(".js-formset-add")  # a second platform row, numbered 1
    expect(page.locator("#id_platforms-1-kind")).to_be_focused()
    expect(page.locator("input[name=platforms-TOTAL_FORMS]")).to_have_value("2")
    page.select_option("#id_platforms-1-kind", "key_lab")
    page.select_option("#id_platforms-1-level", "municipal")
    page.fill("#id_platforms-1-name", "淄博市先进陶瓷重点实验室")
    page.fill("#id_account-username", "wangfang")
    page.fill("#id_account-full_name", "王芳")
    page.fill("#id_account-email", "wangfang@huaguang.example.cn")
    page.fill("#id_account-phone", "13905331234")
    page.fill("#id_account-password1", PASSWORD)
    page.fill("#id_account-password2", PASSWORD)
    shot(page, "signup-filled-zh")
    with page.expect_navigation():
        page.click("form.signup-form button[type=submit]")

    # refused: the message is beside the credit code, everything else is still there (passwords excepted)
    expect(page.locator("#id_org-credit_code")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#div_id_org-credit_code")).to_contain_text("“3”")
    expect(page.locator("#id_platforms-1-name")).to_have_value("淄博市先进陶瓷重点实验室")
    expect(page.locator("#id_account-password1")).to_have_value("")
    shot(page, "signup-error-zh")

    page.fill("#id_org-credit_code", "91350100M000100Y43")
    page.fill("#id_account-password1", PASSWORD)
    page.fill("#id_account-password2", PASSWORD)
    with page.expect_navigation():
        page.click("form.signup-form button[type=submit]")
    expect(page.locator("main h1")).to_contain_text("等待审核")
    shot(page, "signup-done-zh")
    organisation = Organisation.objects.get(credit_code="91350100M000100Y43")
    assert organisation.verification == Organisation.Verification.PENDING
    assert sorted(organisation.platforms.values_list("kind", flat=True)) == ["enterprise_centre", "key_lab"]


def test_signup_page_on_a_phone_and_in_english(open_page, live_server):
    page = open_page(PHONE)
    page.goto(f"{live_server.url}/accounts/signup/")
    shot(page, "signup-phone-zh")
    # nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    switch_to_english(page)
    expect(page.locator("main h1")).to_have_text("Register a member unit")
    shot(page, "signup-phone-en")
    desktop = open_page()
    desktop.goto(f"{live_server.url}/accounts/signup/")
    switch_to_english(desktop)
    shot(desktop, "signup-en")


def test_bureau_verifies_a_registration(open_page, live_server, officer):
    waiting = OrganisationFactory(name="淄博新材料研究院", kind="institute", verification="pending",
                                  credit_code=make_credit_code("370305"))
    RDPlatform.objects.create(organisation=waiting, kind="engineering_centre", level="provincial",
                              name="山东省新材料工程技术研究中心")
    member_user(organisation=waiting, full_name="刘洋")
    for number in range(4):
        OrganisationFactory(name=f"淄博示例企业{number}有限公司", verification="pending")
    page = open_page()
    sign_in(page, live_server, officer.username)
    expect(page.locator("main")).to_contain_text("家注册单位待审核")
    shot(page, "home-officer-zh")
    page.click("text=家注册单位待审核")
    expect(page.locator(".result-count")).to_contain_text("共5家单位")
    shot(page, "organisations-list-zh")
    page.click("text=淄博新材料研究院")
    expect(page.locator("main")).to_contain_text("山东省新材料工程技术研究中心")
    shot(page, "organisation-detail-zh")
    with page.expect_navigation():
        page.click("#verification-panel button.btn-success")
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    waiting.refresh_from_db()
    assert waiting.verification == Organisation.Verification.VERIFIED
    switch_to_english(page)
    shot(page, "organisation-detail-en")
    page.goto(f"{live_server.url}/accounts/organisations/")
    shot(page, "organisations-list-en")

    phone = open_page(PHONE)
    sign_in(phone, live_server, officer.username)
    phone.goto(f"{live_server.url}/accounts/organisations/?verification=")
    shot(phone, "organisations-list-phone-zh")
    phone.goto(f"{live_server.url}/accounts/organisations/{waiting.pk}/")
    shot(phone, "organisation-detail-phone-zh")


def test_colleagues_page(open_page, live_server, member):
    plain_member(member.organisation, full_name="张三", phone="13800001111")
    inactive = plain_member(member.organisation, full_name="李四")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    page = open_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server.url}/accounts/colleagues/")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    shot(page, "colleagues-zh")
    page.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    with page.expect_navigation():
        page.click("tr:has-text('张三') button.btn-outline-danger")
    expect(page.locator(".alert-success")).to_contain_text("已停用")
    page.goto(f"{live_server.url}/accounts/colleagues/add/")
    shot(page, "colleague-add-zh")
    switch_to_english(page)
    page.goto(f"{live_server.url}/accounts/colleagues/")
    shot(page, "colleagues-en")
    phone = open_page(PHONE)
    sign_in(phone, live_server, member.username)
    phone.goto(f"{live_server.url}/accounts/colleagues/")
    shot(phone, "colleagues-phone-zh")
    phone.goto(f"{live_server.url}/accounts/organisation/edit/")
    shot(phone, "organisation-edit-phone-zh")
