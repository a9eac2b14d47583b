"""Each check of the import on its own: one mistake in an otherwise valid workbook → exactly that problem."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliances import importing
from alliances.models import Alliance, Organisation
from alliances.workflow import State
from reviews.models import Designation
from tests.factories import AllianceFactory, OrganisationFactory

from .import_workbooks import A1, A2, MEMBER_HEADERS, code, valid_rows, workbook_bytes

TODAY = date(2026, 11, 25)


@pytest.fixture
def existing_unit(db):
    return OrganisationFactory(name="淄博已注册软件有限公司", credit_code=code(90))


def problems_of(content) -> set[tuple]:
    _plan, problems = importing.check_workbook(SimpleUploadedFile("x.xlsx", content), today=TODAY)
    return {problem.key for problem in problems}


def _set(rows, index, column, value):
    rows[index][column] = value


# (what to change in the alliance rows / member rows, the expected problem)
CASES = {
    "bad date": (lambda a, m: _set(a, 0, 4, "去年六月"), ("联盟", 2, "E", "bad_date")),
    "impossible date": (lambda a, m: _set(a, 0, 4, "2023-02-30"), ("联盟", 2, "E", "bad_date")),
    "unknown level": (lambda a, m: _set(a, 0, 3, "国家级"), ("联盟", 2, "D", "unknown_level")),
    "certificate format": (lambda a, m: _set(a, 0, 5, "[2023]012"), ("联盟", 2, "F", "certificate_format")),
    "same alliance twice": (lambda a, m: a.append([A1 + " ", *a[0][1:5], "〔2023〕099", *a[0][6:]]),
                            ("联盟", 6, "A", "duplicate_alliance")),
    "missing sector": (lambda a, m: _set(a, 0, 1, None), ("联盟", 2, "B", "required")),
    "secretariat email": (lambda a, m: _set(a, 0, 9, "mishu@"), ("联盟", 2, "J", "invalid_email")),
    "unknown kind": (lambda a, m: _set(m, 1, 3, "个体户"), ("成员单位", 3, "D", "unknown_kind")),
    "unknown role": (lambda a, m: _set(m, 1, 5, "会长"), ("成员单位", 3, "F", "unknown_role")),
    "core yes/no": (lambda a, m: _set(m, 1, 6, "也许"), ("成员单位", 3, "G", "unknown_value")),
    "unit's alliance unknown": (lambda a, m: _set(m, 1, 0, "不存在的联盟"), ("成员单位", 3, "A", "unknown_alliance")),
    "second chairman": (lambda a, m: _set(m, 1, 5, "理事长"), ("成员单位", 3, "F", "chairman_role")),
    "same unit twice in an alliance": (lambda a, m: _set(m, 5, 2, code(2)) or _set(m, 5, 1, m[1][1]),
                                       ("成员单位", 7, "C", "duplicate_member")),
    "too long": (lambda a, m: _set(m, 1, 10, "路" * 201), ("成员单位", 3, "K", "too_long")),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_one_mistake_one_problem(existing_unit, case):
    change, expected = CASES[case]
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    change(alliances, members)

    assert problems_of(workbook_bytes(alliances, members)) == {expected}


def test_chairman_missing_from_member_sheet(existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    del members[0]  # A1's chairman unit

    assert problems_of(workbook_bytes(alliances, members)) == {("联盟", 2, "C", "chairman_missing")}


def test_chairman_listed_with_another_role(existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    members[0][5] = "成员"

    assert problems_of(workbook_bytes(alliances, members)) == {("成员单位", 2, "F", "chairman_role")}


def test_certificate_number_held_by_another_alliance(existing_unit):
    other = AllianceFactory(name="淄博市另一个联盟", state=State.PILOT)
    Designation.objects.create(alliance=other, level="pilot", year=2023, sequence=12, certificate_number="〔2023〕012")
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)

    assert problems_of(workbook_bytes(alliances, members)) == {("联盟", 2, "F", "certificate_taken")}


def test_alliance_of_that_name_already_in_the_portal(existing_unit):
    AllianceFactory(name=A2, state=State.DRAFT)
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)

    assert problems_of(workbook_bytes(alliances, members)) == {("联盟", 3, "A", "alliance_exists")}


def test_credit_code_registered_under_another_name(existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, "淄博完全不同的名字有限公司")

    assert problems_of(workbook_bytes(alliances, members)) == {("成员单位", 19, "B", "name_mismatch")}


def test_names_match_across_full_and_half_width_brackets(existing_unit):
    existing_unit.name = "山东理工大学(导入测试)"
    existing_unit.save()
    alliances, members = valid_rows(existing_unit.credit_code, "山东理工大学（导入测试）")

    assert problems_of(workbook_bytes(alliances, members)) == set()


def test_missing_sheet_and_missing_column(existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)

    assert problems_of(workbook_bytes(alliances, members, member_sheet=None)) == {
        ("成员单位", 0, "", "missing_sheet")}
    headers = [h if h != "所在区县" else "区域" for h in MEMBER_HEADERS]
    assert problems_of(workbook_bytes(alliances, members, member_headers=headers)) == {
        ("成员单位", 1, "", "missing_column")}


def test_every_problem_is_reported_not_only_the_first_per_row(existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    members[1][3], members[1][4], members[1][5] = "个体户", "外地", "会长"

    assert problems_of(workbook_bytes(alliances, members)) == {
        ("成员单位", 3, "D", "unknown_kind"), ("成员单位", 3, "E", "unknown_district"),
        ("成员单位", 3, "F", "unknown_role")}


def test_blank_rows_are_ignored_and_codes_normalised(officer, existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    members.insert(3, [None] * 11)
    members[0][2] = " " + code(1).lower()[:9] + " " + code(1).lower()[9:]

    summary = importing.import_workbook(SimpleUploadedFile("x.xlsx", workbook_bytes(alliances, members)),
                                        by=officer, today=TODAY)

    assert summary.alliances_created == 4
    assert Alliance.objects.get(name=A1).chairman == Organisation.objects.get(credit_code=code(1))


def test_problems_come_in_reading_order(existing_unit):
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    members[1][3] = "个体户"
    alliances[1][1] = "量子计算"
    alliances[0][3] = "国家级"

    _plan, problems = importing.check_workbook(SimpleUploadedFile("x.xlsx", workbook_bytes(alliances, members)),
                                               today=TODAY)

    assert [p.key for p in problems] == [("联盟", 2, "D", "unknown_level"), ("联盟", 3, "B", "unknown_sector"),
                                         ("成员单位", 3, "D", "unknown_kind")]
