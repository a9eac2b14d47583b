"""Concurrency on PostgreSQL: real threads released together, each on its own connection.

Many identical workflow actions make one transition; simultaneous designations get unique consecutive
certificate numbers; simultaneous progress reports for one period make one report.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from alliances.models import Alliance, StateTransition
from alliances.transitions import transition
from alliances.workflow import State
from projects import services as project_services
from projects.errors import AlreadyReported
from projects.models import ProgressReport, Project
from reviews import services
from reviews.models import Designation
from tests.factories import AllianceFactory, SectorFactory, confirmed_member, member_user
from tests.projects.factories import approved_project
from tests.reviews.test_concurrency_postgres import ready_for_designation, run_together

pytestmark = [pytest.mark.resilience, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLICKS = 20
DESIGNATIONS = 30
REPORTERS = 8


def _outcome(call):
    """What a thread met: its return value, or the exception it raised (kept, not re-raised)."""
    try:
        return call()
    except Exception as error:  # the test counts the refusals
        return error


def test_identical_workflow_actions_make_one_transition(using_postgres, officer, report):
    alliance = AllianceFactory()
    Alliance.objects.filter(pk=alliance.pk).update(state=State.SUBMITTED, current_version=1)

    results = run_together(CLICKS, lambda i: transition(
        Alliance.objects.get(pk=alliance.pk), action="start_screening", by=officer))

    records = StateTransition.objects.filter(alliance=alliance, action="start_screening")
    assert records.count() == 1
    assert [r.pk for r in results if r is not None] == [records.get().pk]
    assert Alliance.objects.get(pk=alliance.pk).state == State.SCREENING
    report(f"{CLICKS} concurrent 'start screening' clicks → {records.count()} transition, "
           f"{results.count(None)} answered 'already done'")

    granted = ready_for_designation(SectorFactory())
    designations = run_together(CLICKS, lambda i: services.grant_pilot(
        Alliance.objects.get(pk=granted.pk), by=officer).pk)
    assert Designation.objects.filter(alliance=granted).count() == 1
    assert len(set(designations)) == 1
    assert StateTransition.objects.filter(alliance=granted, action="grant_pilot").count() == 1
    report(f"{CLICKS} concurrent grants → 1 transition, 1 designation")


def test_simultaneous_designations_get_unique_consecutive_numbers(using_postgres, officer, report):
    sector = SectorFactory()
    alliances = [ready_for_designation(sector) for _ in range(DESIGNATIONS)]

    run_together(DESIGNATIONS, lambda i: services.grant_pilot(Alliance.objects.get(pk=alliances[i].pk), by=officer))

    year = timezone.localdate().year
    numbers = list(Designation.objects.filter(year=year).values_list("certificate_number", flat=True))
    assert sorted(numbers) == [f"〔{year}〕{n:03d}" for n in range(1, DESIGNATIONS + 1)]
    assert Designation.objects.values("alliance").distinct().count() == DESIGNATIONS
    report(f"{DESIGNATIONS} simultaneous designations → {len(set(numbers))} unique certificate numbers, "
           f"〔{year}〕001…〔{year}〕{DESIGNATIONS:03d} without gaps")


@time_machine.travel("2026-04-20 10:00 +0800", tick=False)
def test_simultaneous_progress_reports_for_one_period_make_one(using_postgres, report):
    alliance = AllianceFactory()
    secretariat = member_user(organisation=alliance.chairman)
    lead = confirmed_member(alliance)
    lead_user = member_user(organisation=lead.organisation)
    project = approved_project(alliance=alliance, lead_unit=lead.organisation)
    values = {"started": True, "completed_self_raised": Decimal("100"), "completed_bank_loans": Decimal("0"),
              "completed_government": Decimal("0"), "completed_other": Decimal("0"),
              "government_funds_used": Decimal("0"), "patents_applied": 1, "patents_granted": 0, "standards": 0,
              "new_products": 0, "technical_secrets": 0, "problems": "", "help_needed": "",
              "decrease_explanation": ""}
    reporters = [lead_user, secretariat] * (REPORTERS // 2)

    results = run_together(REPORTERS, lambda i: _outcome(lambda: project_services.submit_progress_report(
        Project.objects.get(pk=project.pk), by=reporters[i], period_start=date(2026, 1, 1), values=values)))

    assert ProgressReport.objects.filter(project=project).count() == 1
    filed = [r for r in results if isinstance(r, ProgressReport)]
    refused = [r for r in results if isinstance(r, AlreadyReported)]
    assert (len(filed), len(refused)) == (1, REPORTERS - 1)
    report(f"{REPORTERS} simultaneous progress reports for 2026 Q1 (lead unit and secretariat) → "
           f"{len(filed)} report, {len(refused)} told 'already reported'")
