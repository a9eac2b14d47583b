"""manage.py generate_scale_data also loads designations, expert scores, projects and progress reports,
with the relations the portal relies on (checked at a tiny size, on whichever database the tests use)."""

from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max

from alliances.models import Alliance, Membership
from alliances.workflow import DESIGNATED, State
from projects.models import ProgressReport, Project
from projects.periods import period_containing
from projects.workflow import APPROVED_STATES, RUNNING
from reviews.models import (
    CertificateCounter,
    CriterionScore,
    Designation,
    ExpertAssignment,
    Scorecard,
    ScoreCriterion,
)

pytestmark = pytest.mark.django_db


def _generate(*args) -> str:
    out = StringIO()
    call_command("generate_scale_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny_run():
    return _generate("--alliances", "10", "--units", "200", "--projects", "60", "--reports", "150",
                     "--scores", "30", "--batch", "40")


def test_scale_data_counts_match_the_flags(tiny_run):
    criteria = ScoreCriterion.objects.filter(call__isnull=True, is_active=True).count()

    assert Project.objects.count() == 60
    assert ProgressReport.objects.count() == 150
    assert Scorecard.objects.count() == 30
    assert ExpertAssignment.objects.count() == 30
    assert CriterionScore.objects.count() == 30 * criteria > 0
    for table in ["designations", "experts", "expert assignments", "scorecards", "criterion scores", "projects",
                  "progress reports"]:
        assert f"\n{table} " in tiny_run


def test_scale_data_projects_belong_to_designated_alliances_and_their_members(tiny_run):
    members = set(Membership.objects.filter(status=Membership.Status.CONFIRMED)
                  .values_list("alliance_id", "organisation_id"))

    for project in Project.objects.select_related("alliance"):
        assert project.alliance.state in DESIGNATED
        assert (project.alliance_id, project.lead_unit_id) in members
        assert project.sector_id == project.alliance.sector_id
        assert (project.approval_number is not None) == (project.state in APPROVED_STATES)


def test_scale_data_designated_alliances_hold_one_standing_designation(tiny_run):
    designated = set(Alliance.objects.filter(state__in=DESIGNATED).values_list("pk", flat=True))
    held = dict(Designation.objects.filter(revoked_at__isnull=True).values_list("alliance_id", "level"))

    assert designated
    assert set(held) == designated
    for alliance in Alliance.objects.filter(pk__in=designated):
        expected = Designation.Level.DEMONSTRATION if alliance.state == State.DEMONSTRATION else Designation.Level.PILOT
        assert held[alliance.pk] == expected
    # each year's counter continues after the numbers given, so a real designation cannot collide
    for year, top in Designation.objects.values("year").annotate(top=Max("sequence")).values_list("year", "top"):
        assert CertificateCounter.objects.get(year=year).last_sequence == top


def test_scale_data_reports_cover_consecutive_periods_of_started_projects(tiny_run):
    for project in Project.objects.annotate(n=Count("reports")).filter(n__gt=0):
        reports = list(project.reports.order_by("period_start"))
        assert project.state in APPROVED_STATES
        assert reports[0].period_start == period_containing(project.start_date, 3).start
        for earlier, later in pairwise(reports):
            assert later.period_start == earlier.period_end + timedelta(days=1)
            assert later.completed_investment >= earlier.completed_investment
        assert project.latest_report_id == reports[-1].pk
        if project.state in RUNNING:
            assert project.next_report_due == period_containing(reports[-1].period_end + timedelta(days=1), 3).due_date


def test_scale_data_scores_belong_to_submitted_assignments_of_reviewed_applications(tiny_run):
    criteria = set(ScoreCriterion.objects.filter(call__isnull=True, is_active=True).values_list("pk", flat=True))

    for card in Scorecard.objects.select_related("assignment__alliance", "assignment__expert__user"):
        assignment = card.assignment
        assert assignment.status == ExpertAssignment.Status.SUBMITTED
        assert card.submitted_at is not None
        assert assignment.alliance.state not in {State.DRAFT, State.SUBMITTED, State.SCREENING, State.WITHDRAWN}
        assert assignment.version == max(assignment.alliance.current_version, 1)
        assert assignment.expert.user.groups.filter(name="expert").exists()
        assert set(card.scores.values_list("criterion_id", flat=True)) == criteria
        assert all(0 <= s.score <= s.max_score for s in card.scores.all())


def test_scale_data_defaults_follow_the_alliances():
    output = _generate("--alliances", "2", "--units", "60", "--batch", "500")

    assert Project.objects.count() == 2 * 50
    assert ProgressReport.objects.count() == 2 * 50 * 4
    assert Scorecard.objects.count() == 2 * 10
    assert "progress reports" in output


def test_scale_data_refuses_more_reports_than_quarters():
    with pytest.raises(CommandError, match="at most 12 per project"):
        _generate("--alliances", "1", "--units", "30", "--projects", "2", "--reports", "25")

    assert not Project.objects.exists()


def test_scale_data_counts_the_dashboards_project_tally(tiny_run):
    from projects import tally
    from projects.models import ProjectTally

    assert "project tally" in tiny_run
    assert ProjectTally.objects.exists()
    assert tally.differences() == []


def test_scale_data_keeps_the_latest_reports_figures_on_each_project(tiny_run):
    from projects.models import REPORTED, Project

    projects = list(Project.objects.exclude(latest_report=None).select_related("latest_report"))
    assert projects
    for project in projects:
        assert {field: getattr(project, field) for field in REPORTED} == {
            field: getattr(project.latest_report, source) for field, source in REPORTED.items()}, project.pk
