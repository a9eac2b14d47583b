"""A member unit signs up with the keyboard alone: skip link, Tab from field to field with a visible focus,
arrow keys in radio groups and lists, Space for a checkbox, Enter to submit; a mistake is announced beside
its field (aria-invalid, aria-describedby) and corrected the same way."""

import re

from playwright.sync_api import Page, expect

from alliances.models import Organisation
from tests.factories import PASSWORD, make_credit_code

from .keyboard import focused, tab_through_form


def choose_enterprise(page: Page) -> None:
    # Tab enters a radio group at its checked button, or at the first; Space chooses the one in focus.
    while page.evaluate("() => document.activeElement.value") != "enterprise":
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")


def test_member_unit_signs_up_with_the_keyboard_alone(page, live_server):
    code = make_credit_code()
    page.goto(live_server.url + "/accounts/signup/")

    # The first Tab reaches the skip link, visible; Enter moves past the eleven-entry menu to the content.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "跳到正文", first
    assert first["ring"], first
    assert first["shown"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    answers = {
        "id_org-name": "淄博键盘陶瓷科技有限公司",
        "id_org-legal_representative": "赵建国",
        "id_org-kind_0": choose_enterprise,
        "id_org-credit_code": code,
        "id_org-district": "张店区",
        "id_org-address": "山东省淄博市张店区华光路366号",
        "id_org-contact_person": "王芳",
        "id_org-phone": "0533-2345678",
        "id_org-email": "contact@jianpan.example.cn",
        "id_org-is_high_tech": lambda p: p.keyboard.press("Space"),
        "id_org-rd_staff": "86",
        "id_org-rd_spending": "1250.5",
        "id_org-revenue": "35600",
        "id_platforms-0-kind": "企业技术中心",
        "id_platforms-0-level": "省级",
        "id_platforms-0-name": "山东省先进陶瓷企业技术中心",
        "id_account-username": "jianpan",
        "id_account-full_name": "王芳",
        "id_account-email": "wangfang@jianpan.example.cn",
        "id_account-phone": "13905331234",
        "id_account-password1": PASSWORD,
        "id_account-password2": PASSWORD + "typo",  # a mistake, to hear about it
    }
    reached = tab_through_form(page, answers, stop="提交注册")
    assert set(answers) - {"id_org-kind_0"} <= set(reached), set(answers) - set(reached)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The mistake is announced beside its field: the field is invalid and described by the message.
    password2 = page.locator("#id_account-password2")
    expect(password2).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + password2.get_attribute("aria-describedby").split()[0])
    expect(message).to_contain_text(re.compile("密码"))
    expect(message).to_be_visible()
    assert not Organisation.objects.filter(credit_code=code).exists()

    # The summary of the mistakes has the focus; everything but the passwords was kept: Tab on to them,
    # type them, Enter.
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    tab_through_form(page, {"id_account-password1": PASSWORD, "id_account-password2": PASSWORD}, stop="提交注册")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("main h1")).to_contain_text("等待审核")
    unit = Organisation.objects.get(credit_code=code)
    assert (unit.name, unit.kind, unit.district.name, unit.is_high_tech, unit.rd_staff) == (
        "淄博键盘陶瓷科技有限公司", "enterprise", "张店区", True, 86)
    assert list(unit.platforms.values_list("kind", "level")) == [("enterprise_centre", "provincial")]
