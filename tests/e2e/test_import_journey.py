"""Existing alliances (存量联盟) in a real browser: the officer opens the import page from the alliance list,
uploads a workbook with mistakes and sees every one by sheet, row and column, uploads the corrected workbook
and sees the summary; a member unit of an imported alliance claims its account, the bureau verifies it, and
the claimant signs in and finds the alliance."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from alliances import importing
from alliances.models import Alliance, Organisation
from tests.alliances.import_workbooks import A1, broken_code, code, valid_rows, workbook_bytes
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import OrganisationFactory, UserFactory

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PASSWORD = "Taoci-claim-2026!"


def workbook_file(content: bytes):
    return {"name": "存量联盟.xlsx", "mimeType": importing.XLSX_TYPE, "buffer": content}


def test_officer_imports_and_a_unit_claims_its_account(page, live_server):
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    existing = OrganisationFactory(name="淄博已注册软件有限公司", credit_code=code(90))
    alliances, members = valid_rows(existing.credit_code, existing.name)
    broken = [row[:] for row in members]
    broken[1][2] = broken_code(2)
    broken[5][4] = "青岛市市南区"

    login(page, live_server, officer.username, FACTORY_PASSWORD)
    page.goto(live_server.url + "/alliances/")
    page.click("text=导入存量联盟")
    expect(page.locator("h1")).to_have_text("导入存量联盟")

    page.set_input_files("input[name=workbook]", files=[workbook_file(workbook_bytes(alliances, broken))])
    with page.expect_navigation():
        page.click("button:has-text('校验并导入')")
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("发现 2 个问题：未保存任何数据")
    expect(problems.locator("tbody tr")).to_have_count(2)
    expect(problems.locator("tbody tr").first).to_contain_text(broken_code(2))
    expect(problems.locator("tbody tr").nth(1)).to_contain_text("青岛市市南区")
    shot(page, "import-problems")
    assert not Alliance.objects.exists()

    page.set_input_files("input[name=workbook]", files=[workbook_file(workbook_bytes(alliances, members))])
    with page.expect_navigation():
        page.click("button:has-text('校验并导入')")
    expect(page.locator("#import-summary")).to_contain_text("已导入 4 个联盟")
    expect(page.locator("#import-summary")).to_contain_text("新建 24 个成员单位")
    shot(page, "import-summary")

    # The chairman unit of A1 claims its account.
    page.context.clear_cookies()
    chairman = Organisation.objects.get(credit_code=code(1))
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_org-name", chairman.name)
    page.fill("#id_org-credit_code", chairman.credit_code)
    page.select_option("#id_org-district", label="张店区")
    page.fill("#id_org-address", "山东省淄博市张店区华光路366号")
    page.fill("#id_org-contact_person", "王芳")
    page.fill("#id_org-phone", "0533-2345678")
    page.fill("#id_org-email", "contact@taoci.example.cn")
    page.fill("#id_org-rd_staff", "86")
    page.fill("#id_org-rd_spending", "1250.5")
    page.fill("#id_org-revenue", "35600")
    page.fill("#id_account-username", "wangfang")
    page.fill("#id_account-full_name", "王芳")
    page.fill("#id_account-email", "wangfang@taoci.example.cn")
    page.fill("#id_account-phone", "13905331234")
    page.fill("#id_account-password1", PASSWORD)
    page.fill("#id_account-password2", PASSWORD)
    with page.expect_navigation():
        page.click("form.signup-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("认领已提交，等待审核")
    shot(page, "import-claim-received")

    login(page, live_server, officer.username, FACTORY_PASSWORD)
    page.goto(f"{live_server.url}/accounts/organisations/{chairman.pk}/")
    expect(page.locator("body")).to_contain_text("导入单位被首个用户认领")
    with page.expect_navigation():
        page.click("form[action$='/verify/'] button[type=submit]")

    page.context.clear_cookies()
    login(page, live_server, "wangfang", PASSWORD)
    page.goto(live_server.url + "/alliances/")
    expect(page.locator("body")).to_contain_text(A1)
    shot(page, "import-claimant-alliances")
