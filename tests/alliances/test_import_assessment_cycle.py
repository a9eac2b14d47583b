"""Imported alliances enter the biennial assessment cycle from their original designation dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from alliances import importing
from alliances.models import Alliance
from alliances.workflow import State
from assessments.models import AssessmentRound
from assessments.selectors import due_for_assessment
from assessments.tasks import open_due_assessments
from tests.factories import OrganisationFactory

from .import_workbooks import A1, A2, A3, A4, code, valid_rows, workbook_bytes

BEIJING = ZoneInfo("Asia/Shanghai")


def _import(officer):
    unit = OrganisationFactory(name="淄博已注册软件有限公司", credit_code=code(90))
    content = workbook_bytes(*valid_rows(unit.credit_code, unit.name))
    importing.import_workbook(SimpleUploadedFile("x.xlsx", content), by=officer, today=date(2026, 11, 25))


def due_names(today):
    return set(due_for_assessment(today).values_list("name", flat=True))


def test_due_two_years_after_the_designation_date(officer):
    """A1 was designated 2023-06-01: due on 2025-06-01, not a day before; A3 (2023-11-20) later still."""
    _import(officer)

    assert due_names(date(2023, 12, 31)) == {A4}  # designated 2021-09-08
    assert due_names(date(2024, 3, 15)) == {A2, A4}  # A2 designated 2022-03-15
    assert due_names(date(2025, 5, 31)) == {A2, A4}
    assert due_names(date(2025, 6, 1)) == {A1, A2, A4}
    assert due_names(date(2025, 11, 20)) == {A1, A2, A3, A4}


def test_the_daily_sweep_opens_the_assessment_of_an_imported_alliance(officer):
    _import(officer)

    with time_machine.travel(datetime(2025, 6, 2, 7, 30, tzinfo=BEIJING), tick=False):
        opened = open_due_assessments()

    assert opened == 3
    alliance = Alliance.objects.get(name=A1)
    assert alliance.state == State.ASSESSMENT
    assessment = AssessmentRound.objects.get(alliance=alliance)
    assert (assessment.kind, assessment.opened_from, assessment.period_start, assessment.period_end) == (
        AssessmentRound.Kind.BIENNIAL, State.PILOT, date(2023, 6, 1), date(2025, 6, 2))
    assert assessment.self_assessment.portal_figures["members_joined"] == 0
    assert Alliance.objects.get(name=A3).state == State.PILOT
