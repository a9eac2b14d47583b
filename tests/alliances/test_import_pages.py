"""The import pages: officers only; the template opens in openpyxl with its headers and lists; a file that
is not a workbook (whatever it is called) is a form error, never a 500; problems are shown in a table."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from alliances import importing
from alliances.models import Alliance, Sector
from tests.factories import OrganisationFactory, UserFactory

from .import_workbooks import ALLIANCE_HEADERS, MEMBER_HEADERS, broken_code, code, valid_rows, workbook_bytes

IMPORT = reverse("alliances:import")
TEMPLATE = reverse("alliances:import_template")


def xlsx(content: bytes, name="存量联盟.xlsx", content_type=importing.XLSX_TYPE):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def existing_unit(db):
    return OrganisationFactory(name="淄博已注册软件有限公司", credit_code=code(90))


def test_template_opens_in_openpyxl_with_headers_lists_and_guide(client, officer):
    client.force_login(officer)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == importing.XLSX_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="alliance-import-template-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["联盟", "成员单位", "说明", "选项"]
    assert [cell.value for cell in book["联盟"][1]] == [
        "联盟名称*", "产业领域*", "理事长单位统一社会信用代码*", "认定级别*", "认定日期*", "证书编号*",
        "技术方向", "秘书处联系人", "秘书处电话", "秘书处邮箱"]
    assert [cell.value.rstrip("*") for cell in book["成员单位"][1]] == MEMBER_HEADERS
    assert book["选项"].sheet_state == "hidden"
    sectors = [row[0] for row in book["选项"].iter_rows(min_row=2, max_col=1, values_only=True) if row[0]]
    assert sectors == list(Sector.objects.filter(is_active=True).values_list("name", flat=True))
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in book["成员单位"].data_validations.dataValidation}
    assert validations["D2"] == "'选项'!$C$2:$C$5"  # kinds
    assert validations["F2"] == "'选项'!$E$2:$E$6"  # roles
    assert book["联盟"]["A1"].comment.text.startswith("联盟的全称")
    guide_text = " ".join(str(c) for row in book["说明"].iter_rows(values_only=True) for c in row if c)
    assert "〔2023〕012" in guide_text
    assert "理事长" in guide_text


def test_the_template_with_headers_only_is_refused_as_empty(client, officer):
    client.force_login(officer)
    template = client.get(TEMPLATE).content

    response = client.post(IMPORT, {"workbook": xlsx(template)})

    assert response.status_code == 400
    assert [p.key for p in response.context["problems"]] == [("联盟", 2, "", "required")]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.DEPARTMENT_REVIEWER, Role.DISTRICT_REVIEWER,
                                  Role.LIAISON])
def test_non_officers_are_refused(client, role, existing_unit):
    client.force_login(UserFactory(roles=[role], organisation=OrganisationFactory() if role == Role.MEMBER else None))
    content = workbook_bytes(*valid_rows(existing_unit.credit_code, existing_unit.name))

    assert client.get(TEMPLATE).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"workbook": xlsx(content)}).status_code == 403
    assert not Alliance.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get(IMPORT)["Location"].startswith(reverse("login"))
    assert client.get(TEMPLATE)["Location"].startswith(reverse("login"))


def test_officer_sees_the_link_on_the_alliance_list(client, officer, member):
    client.force_login(officer)
    assert IMPORT in client.get(reverse("alliances:list")).content.decode()
    client.force_login(member)
    assert IMPORT not in client.get(reverse("alliances:list")).content.decode()


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"name,credit code\n\xe8\x81\x94\xe7\x9b\x9f,123\n", "存量联盟.csv", "not an Excel workbook"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "存量联盟.xlsx", "not an Excel workbook"),  # lies
    (_zip_without_workbook(), "存量联盟.xlsx", "not an Excel workbook"),
    (b"PK\x03\x04 broken archive" + b"\0" * 64, "存量联盟.xlsx", "not an Excel workbook"),
    (b"", "存量联盟.xlsx", "empty"),
])
def test_a_file_that_is_not_a_workbook_is_a_form_error(client, officer, content, name, message):
    client.force_login(officer)

    response = client.post(IMPORT, {"workbook": xlsx(content, name=name)})

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors["workbook"])
    assert not Alliance.objects.exists()


def test_damaged_workbook_with_workbook_part_is_a_form_error(client, officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "this is not xml <")
        archive.writestr("[Content_Types].xml", "<Types/>")
    client.force_login(officer)

    response = client.post(IMPORT, {"workbook": xlsx(buffer.getvalue())})

    assert response.status_code == 400
    assert "could not be read" in response.context["form"].errors["workbook"][0]


def test_problems_are_listed_by_sheet_row_and_column(client, officer, existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    members[1][2] = broken_code(2)
    client.force_login(officer)

    response = client.post(IMPORT, {"workbook": xlsx(workbook_bytes(alliances, members))})

    assert response.status_code == 400
    assert [p.key for p in response.context["problems"]] == [("成员单位", 3, "C", "invalid_credit_code")]
    page = response.content.decode()
    assert "<td>成员单位</td>" in page
    assert f"<code>{broken_code(2)}</code>" in page
    assert not Alliance.objects.exists()


def test_valid_upload_shows_the_summary_and_again_unchanged(client, officer, existing_unit):
    content = workbook_bytes(*valid_rows(existing_unit.credit_code, existing_unit.name))
    client.force_login(officer)

    first = client.post(IMPORT, {"workbook": xlsx(content)})
    second = client.post(IMPORT, {"workbook": xlsx(content)})

    assert first.status_code == 200
    summary = first.context["summary"]
    assert (summary.alliances_created, summary.units_created, summary.units_linked) == (4, 24, 1)
    assert second.context["summary"].alliances_unchanged == 4
    assert 'id="import-summary"' in second.content.decode()
    assert Alliance.objects.count() == 4


def test_headers_may_be_english_and_in_another_order(officer, existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    english = ["Alliance name", "Industry sector", "Chairman unit credit code", "Designation level",
               "Designation date", "Certificate number", "Technical direction", "Secretariat contact",
               "Secretariat phone", "Secretariat email"]
    order = [5, 0, 1, 2, 3, 4, 6, 7, 8, 9]
    content = workbook_bytes([[row[i] for i in order] for row in alliances], members,
                             alliance_headers=[english[i] for i in order], alliance_sheet="Alliances")

    summary = importing.import_workbook(xlsx(content), by=officer)

    assert summary.alliances_created == 4
    assert ALLIANCE_HEADERS[0] == "联盟名称"


def test_imported_alliance_pages_render(client, officer, existing_unit):
    importing.import_workbook(xlsx(workbook_bytes(*valid_rows(existing_unit.credit_code, existing_unit.name))),
                              by=officer)
    alliance = Alliance.objects.get(name="淄博市先进陶瓷产业技术创新战略联盟")
    client.force_login(officer)

    detail = client.get(reverse("alliances:detail", args=[alliance.pk]))
    review = client.get(reverse("reviews:application", args=[alliance.pk]))
    register = client.get(reverse("reviews:register"))

    assert (detail.status_code, review.status_code, register.status_code) == (200, 200, 200)
    assert "〔2023〕012" in register.content.decode()
    assert "〔2023〕012" in review.content.decode()


def test_import_page_in_chinese(client, officer):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    client.force_login(officer)

    page = client.get(IMPORT).content.decode()

    assert "导入存量联盟" in page
    assert "下载导入模板" in page
    assert "导入存量联盟" in client.get(reverse("alliances:list")).content.decode()
