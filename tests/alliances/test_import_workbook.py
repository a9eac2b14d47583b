"""Import of existing alliances (存量联盟): a workbook with errors saves nothing and reports every one; the
fixed workbook imports everything in one go; importing it again changes nothing."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from alliances import importing
from alliances.models import Alliance, Membership, Organisation, StateTransition
from alliances.workflow import State
from reviews.models import CertificateCounter, Designation
from tests.factories import OrganisationFactory

from .import_workbooks import A1, A2, A3, A4, broken_code, code, valid_rows, workbook_bytes

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 25)


def upload(content: bytes, name: str = "存量联盟.xlsx"):
    return SimpleUploadedFile(name, content, content_type=importing.XLSX_TYPE)


@pytest.fixture
def existing_unit(db):
    return OrganisationFactory(name="淄博已注册软件有限公司", credit_code=code(90))


def counts():
    return {
        "alliances": Alliance.objects.count(), "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(), "designations": Designation.objects.count(),
        "transitions": StateTransition.objects.count(),
        "counters": list(CertificateCounter.objects.order_by("year").values_list("year", "last_sequence")),
    }


def broken_rows(existing_unit):
    """The valid workbook with seven kinds of error in it (30 rows)."""
    alliances, members = valid_rows(existing_unit.credit_code, existing_unit.name)
    alliances[1][1] = "量子计算"  # unknown sector                       联盟 row 3, column B
    alliances[2][4] = date(2027, 1, 5)  # designation in the future      联盟 row 4, column E
    alliances[3][5] = "〔2023〕012"  # certificate number of A1 again     联盟 row 5, column F
    members[1][2] = broken_code(2)  # wrong check character               成员单位 row 3, column C
    members[5][4] = "青岛市市南区"  # unknown district                     成员单位 row 7, column E
    members[8][1] = ""  # unit name missing                               成员单位 row 10, column B
    members[9][1] = "另一个名字有限公司"  # unit 5 named differently than in row 6   成员单位 row 11, column B
    return alliances, members


EXPECTED = {
    ("联盟", 3, "B", "unknown_sector"),
    ("联盟", 4, "E", "future_date"),
    ("联盟", 5, "F", "duplicate_certificate"),
    ("成员单位", 3, "C", "invalid_credit_code"),
    ("成员单位", 7, "E", "unknown_district"),
    ("成员单位", 10, "B", "required"),
    ("成员单位", 11, "B", "conflicting_name"),
}


def test_workbook_with_errors_reports_every_error_and_saves_nothing(officer, existing_unit):
    before = counts()
    events_before = AuditEvent.objects.exclude(action="alliances_import").count()

    with pytest.raises(importing.ImportRejected) as rejected:
        importing.import_workbook(upload(workbook_bytes(*broken_rows(existing_unit))), by=officer, today=TODAY)

    assert {problem.key for problem in rejected.value.problems} == EXPECTED
    assert len({problem.kind for problem in rejected.value.problems}) == 7
    by_key = {problem.key: problem for problem in rejected.value.problems}
    assert by_key[("成员单位", 3, "C", "invalid_credit_code")].value == broken_code(2)
    assert "check character" in by_key[("成员单位", 3, "C", "invalid_credit_code")].message
    assert by_key[("联盟", 5, "F", "duplicate_certificate")].message == (
        "This certificate number is already used in row 2.")
    assert by_key[("成员单位", 11, "B", "conflicting_name")].value == "另一个名字有限公司"
    assert counts() == before
    assert AuditEvent.objects.exclude(action="alliances_import").count() == events_before
    refused = AuditEvent.objects.get(action="alliances_import")
    assert (refused.outcome, refused.detail["problems"]) == (AuditEvent.Outcome.REFUSED, 7)


def test_fixed_workbook_imports_everything(officer, existing_unit):
    CertificateCounter.objects.create(year=2023, last_sequence=20)  # numbers given in the portal this year
    before = counts()

    summary = importing.import_workbook(
        upload(workbook_bytes(*valid_rows(existing_unit.credit_code, existing_unit.name))), by=officer, today=TODAY)

    assert (summary.alliances_created, summary.units_created, summary.units_linked, summary.memberships_created,
            summary.alliances_unchanged) == (4, 24, 1, 26, 0)
    after = counts()
    assert after["alliances"] == before["alliances"] + 4
    assert after["organisations"] == before["organisations"] + 24
    assert after["memberships"] == before["memberships"] + 26
    designations = {d.alliance.name: (d.level, d.certificate_number, d.year, d.sequence,
                                      d.designated_at.astimezone(BEIJING).date(), d.designated_by)
                    for d in Designation.objects.select_related("alliance")}
    assert designations == {
        A1: ("pilot", "〔2023〕012", 2023, 12, date(2023, 6, 1), officer),
        A2: ("demonstration", "〔2022〕005", 2022, 5, date(2022, 3, 15), officer),
        A3: ("pilot", "〔2023〕031", 2023, 31, date(2023, 11, 20), officer),
        A4: ("demonstration", "〔2021〕002", 2021, 2, date(2021, 9, 8), officer),
    }
    assert Designation.objects.get(certificate_number="〔2023〕012").designated_at == datetime.combine(
        date(2023, 6, 1), time.min, tzinfo=BEIJING)
    # The counters move past the imported numbers, never back: 2023 had reached 20 in the portal.
    assert after["counters"] == [(2021, 2), (2022, 5), (2023, 31)]

    a1 = Alliance.objects.select_related("chairman", "sector").get(name=A1)
    assert (a1.state, a1.call, a1.sector.code, a1.chairman.credit_code, a1.secretariat_contact,
            a1.secretariat_phone) == (State.PILOT, None, "new-materials", code(1), "王芳", "0533-2345678")
    assert a1.imported_at is not None
    assert a1.work_plan is not None
    assert Alliance.objects.get(name=A4).state == State.DEMONSTRATION
    roles = dict(a1.memberships.values_list("organisation__credit_code", "role"))
    assert roles == {code(1): "chairman", code(2): "vice_chairman", code(3): "secretariat",
                     code(4): "technical_support", code(5): "member", code(6): "member"}
    assert set(Membership.objects.filter(alliance__imported_at__isnull=False).values_list("status", flat=True)) == {
        Membership.Status.CONFIRMED}
    # Unit 5 is one organisation in two alliances; the registered unit is linked, not created again.
    assert Organisation.objects.get(credit_code=code(5)).memberships.count() == 2
    linked = Membership.objects.get(organisation=existing_unit)
    assert (linked.alliance.name, linked.is_core) == (A3, True)
    university = Organisation.objects.get(credit_code=code(4))
    assert (university.kind, university.district.name, university.verification, university.verified_by,
            university.users.count()) == ("university", "张店区", "verified", officer, 0)
    assert university.imported_at is not None
    existing_unit.refresh_from_db()
    assert existing_unit.imported_at is None

    record = StateTransition.objects.get(alliance=a1)
    assert (record.action, record.source, record.target, record.actor) == ("import", "pilot", "pilot", officer)
    assert "〔2023〕012" in record.comment
    assert AuditEvent.objects.filter(action="alliance_imported").count() == 4
    done = AuditEvent.objects.get(action="alliances_import")
    assert (done.outcome, done.detail["alliances"], done.detail["units_created"]) == ("ok", 4, 24)


def test_second_import_changes_nothing(officer, existing_unit):
    content = workbook_bytes(*valid_rows(existing_unit.credit_code, existing_unit.name))
    importing.import_workbook(upload(content), by=officer, today=TODAY)
    before = counts()
    updated = dict(Alliance.objects.values_list("pk", "updated_at"))
    units = dict(Organisation.objects.values_list("pk", "imported_at"))

    summary = importing.import_workbook(upload(content), by=officer, today=TODAY)

    assert (summary.alliances_created, summary.alliances_unchanged, summary.units_created,
            summary.units_linked) == (0, 4, 0, 0)
    assert sorted(summary.unchanged_names) == sorted([A1, A2, A3, A4])
    assert counts() == before
    assert dict(Alliance.objects.values_list("pk", "updated_at")) == updated
    assert dict(Organisation.objects.values_list("pk", "imported_at")) == units


def test_new_numbers_after_import_do_not_collide(officer, existing_unit):
    """The next designation of the year takes the number after the highest imported one."""
    from reviews.services import designate
    from tests.factories import AllianceFactory

    importing.import_workbook(upload(workbook_bytes(*valid_rows(existing_unit.credit_code, existing_unit.name))),
                              by=officer, today=TODAY)
    counter, _ = CertificateCounter.objects.get_or_create(year=TODAY.year)
    counter.last_sequence = 0
    counter.save()
    CertificateCounter.objects.filter(year=2023).update(last_sequence=31)

    import time_machine

    with time_machine.travel(datetime(2023, 12, 1, 10, tzinfo=BEIJING), tick=False):
        designation = designate(AllianceFactory(state=State.PUBLIC_NOTICE), level="pilot", by=officer)
    assert designation.certificate_number == "〔2023〕032"
