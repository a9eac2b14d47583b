"""Figures the portal already knows are filled into the self-assessment when the assessment opens."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances.models import Membership
from assessments import services
from projects.workflow import ProjectState
from tests.factories import OrganisationFactory
from tests.projects.factories import ActivityFactory, approved_project, report_for

from .conftest import at

pytestmark = pytest.mark.django_db


def _at(day):
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T09:00:00"))


def test_members_joined_and_left_in_the_period_are_prefilled(pilot, officer):
    Membership.objects.create(alliance=pilot, organisation=OrganisationFactory(), status=Membership.Status.CONFIRMED,
                              invited_at=_at("2026-05-01"), responded_at=_at("2026-05-03"))
    Membership.objects.create(alliance=pilot, organisation=OrganisationFactory(), status=Membership.Status.LEFT,
                              invited_at=_at("2026-06-01"), responded_at=_at("2026-06-02"),
                              left_at=_at("2027-09-01"))
    Membership.objects.create(alliance=pilot, organisation=OrganisationFactory(), status=Membership.Status.INVITED,
                              invited_at=_at("2027-01-01"))
    with at("2028-03-05"):
        assessment = services.open_assessment(pilot, by=officer)
    report = assessment.self_assessment
    assert report.portal_figures["members_joined"] == 2
    assert report.portal_figures["members_left"] == 1
    assert (report.members_joined, report.members_left) == (2, 1)
    assert (assessment.period_start, assessment.period_end) == (datetime.date(2026, 3, 2), datetime.date(2028, 3, 5))
    assert [row.target.indicator for row in report.target_achievements.all()] == ["发明专利申请"]


def test_projects_investment_outputs_and_activities_are_prefilled(pilot, officer):
    running = approved_project(alliance=pilot, state=ProjectState.IN_PROGRESS, total_investment=Decimal("500"),
                               budget=[(2026, "500", "0", "0", "0")])
    report_for(running, period_start=datetime.date(2026, 4, 1), completed=("100", "50", "20", "0"),
               outputs={"patents_applied": 2})
    done = approved_project(alliance=pilot, state=ProjectState.PASSED, total_investment=Decimal("300"),
                            budget=[(2026, "300", "0", "0", "0")])
    report_for(done, period_start=datetime.date(2026, 4, 1), completed=("200", "100", "0", "0"),
               outputs={"patents_applied": 3, "patents_granted": 2, "standards": 1, "new_products": 1})
    ActivityFactory(alliance=pilot, date=datetime.date(2026, 9, 1))
    ActivityFactory(alliance=pilot, date=datetime.date(2027, 9, 1))
    ActivityFactory(alliance=pilot, date=datetime.date(2025, 9, 1))  # before the designation: not this period
    with at("2028-03-05"):
        assessment = services.open_assessment(pilot, by=officer)
    report = assessment.self_assessment
    assert (report.projects_started, report.projects_completed) == (2, 1)
    assert report.investment_completed == Decimal("470")
    assert (report.patents_applied, report.patents_granted, report.standards, report.new_products) == (5, 2, 1, 1)
    assert report.activities_held == 2
    assert Decimal(report.portal_figures["total_investment"]) == Decimal("800")
    assert Decimal(report.portal_figures["start_rate"]) == Decimal("100")
    assert report.revenue is None  # the portal does not know it: the alliance declares it
