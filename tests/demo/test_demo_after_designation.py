"""The demo's pilots live on after designation: projects in every state, reports on time and late, change
requests, plans, activities, an assessment in each state, a demonstration unit, a rectification and a
revocation, all through the services; the liaison officer's and the chairman unit's to-do lists have items."""

import pytest
from django.utils import timezone, translation

from accounts.models import AuditEvent, User
from alliance_portal.core.todo import collect
from alliances.models import Alliance, StateTransition
from alliances.workflow import State
from assessments.models import AssessmentRound, AssessmentTransition, Rectification
from demo import loader, operation
from projects.models import (
    Activity,
    ChangeRequest,
    DevelopmentPlan,
    ProgressReport,
    Project,
    ProjectTransition,
)
from projects.workflow import ProjectState
from reviews.models import Designation

# Transactional (the loader tunes SQLite outside transactions); serialized rollback restores the reference data
# that migrations load after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PILOTS = sorted(operation.LIVES)  # last year's call: the alliances designated a year ago


def test_demo_shows_the_whole_life_after_designation():
    """One load (it takes seconds), four checks."""
    loader.load(enterprises_per_sector=20, institutes_per_sector=3, numbers=PILOTS)

    _pilots_end_in_every_state_after_designation()
    _an_assessment_in_each_state_and_every_outcome()
    _projects_in_every_state_with_reports_and_changes()
    _the_chairman_unit_and_the_liaison_officer_have_real_to_do_items()


def _todo(username: str) -> dict[str, int]:
    with translation.override("en"):
        return {item.label: item.count for item in collect(User.objects.get(username=username))}


def _pilots_end_in_every_state_after_designation():
    states = sorted(Alliance.objects.values_list("state", flat=True))
    assert states == sorted([State.ASSESSMENT, State.ASSESSMENT, State.DEMONSTRATION, State.PILOT,
                             State.RECTIFICATION, State.REVOKED])
    # the way there is on each alliance's timeline, one transition per step
    revoked = Alliance.objects.get(state=State.REVOKED)
    assert list(StateTransition.objects.filter(alliance=revoked).order_by("at", "pk").values_list(
        "action", flat=True))[-4:] == ["open_assessment", "order_rectification", "open_reassessment", "revoke"]
    demonstration = Alliance.objects.get(state=State.DEMONSTRATION)
    assert set(Designation.objects.filter(alliance=demonstration, revoked_at__isnull=True)
               .values_list("level", flat=True)) >= {Designation.Level.DEMONSTRATION}
    assert not Designation.objects.filter(alliance=revoked, revoked_at__isnull=True).exists()
    # nothing happened in the future
    now = timezone.now()
    assert not StateTransition.objects.filter(at__gt=now).exists()
    assert not ProjectTransition.objects.filter(at__gt=now).exists()
    assert not ProgressReport.objects.filter(submitted_at__gt=now).exists()


def _an_assessment_in_each_state_and_every_outcome():
    assert set(AssessmentRound.objects.values_list("status", flat=True)) == set(AssessmentRound.Status.values)
    outcomes = sorted(AssessmentRound.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == sorted([AssessmentRound.Outcome.DEMONSTRATION, AssessmentRound.Outcome.PILOT_KEPT,
                               AssessmentRound.Outcome.RECTIFICATION, AssessmentRound.Outcome.RECTIFICATION,
                               AssessmentRound.Outcome.REVOKED])
    # one rectification under way (no report yet), one closed by the revocation
    assert Rectification.objects.filter(closed_at__isnull=True, reported_at__isnull=True).count() == 1
    assert Rectification.objects.filter(closed_at__isnull=False, reported_at__isnull=False).count() == 1
    # every round moved through the round's own state machine
    for assessment in AssessmentRound.objects.exclude(status=AssessmentRound.Status.SELF_ASSESSMENT):
        assert AssessmentTransition.objects.filter(round=assessment).order_by("-at", "-pk").first().target \
            == assessment.status
    scoring = AssessmentRound.objects.get(status=AssessmentRound.Status.EXPERT_SCORING)
    pending = scoring.assignments.filter(submitted_at__isnull=True).get()
    assert pending.expert.user.username == "expert"


def _projects_in_every_state_with_reports_and_changes():
    assert set(Project.objects.values_list("state", flat=True)) == set(ProjectState.values)
    for project in Project.objects.exclude(state=ProjectState.DRAFT):
        last = ProjectTransition.objects.filter(project=project).order_by("-at", "-pk").first()
        assert last.target == project.state, project.title
    assert ProgressReport.objects.filter(is_late=True).exists()
    assert ProgressReport.objects.filter(is_late=False).exists()
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == set(ChangeRequest.Status.values)
    extended = ChangeRequest.objects.get(kind=ChangeRequest.Kind.EXTENSION, status=ChangeRequest.Status.APPROVED)
    assert extended.project.end_date.isoformat() == extended.proposed["end_date"]
    assert set(DevelopmentPlan.objects.values_list("status", flat=True)) == set(DevelopmentPlan.Status.values)
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    # the services left their audit trail
    assert AuditEvent.objects.filter(action="progress_report_submitted").count() == ProgressReport.objects.count()
    assert AuditEvent.objects.filter(action="change_decided").count() == 2
    # the dashboard's project tally counts what the services filed
    assert loader.after_designation()["projects"] == {
        state: Project.objects.filter(state=state).count() for state in sorted(ProjectState.values)}


def _the_chairman_unit_and_the_liaison_officer_have_real_to_do_items():
    assert _todo("member") == {"self-assessment to file": 1, "progress report due": 1,
                               "project returned for revision": 1}
    assert _todo("liaison") == {"self-assessment awaited from an alliance you follow": 1,
                                "project with an overdue progress report in the alliances you follow": 1}
    assert _todo("liaison2") == {"rectification under way in an alliance you follow": 1,
                                 "project with an overdue progress report in the alliances you follow": 1}
    assert _todo("chair14")["rectification report to send"] == 1
    assert _todo("expert") == {"assessment to score": 1}
    officer = _todo("officer")
    assert officer["project to decide"] == 1
    assert officer["change request to decide"] == 1
    assert officer["projects with an overdue progress report"] == 2
