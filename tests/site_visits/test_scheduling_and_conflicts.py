"""The officer schedules a site visit after expert review; a conflicted team member is refused with the reason."""

import datetime

import pytest

from accounts.models import AuditEvent
from alliance_portal.core.errors import IllegalTransition, NotPermitted, WorkflowError
from alliances.models import Membership
from alliances.transitions import transition
from alliances.workflow import State
from notifications.models import Notification
from reviews import services as review_services
from reviews.models import DeclaredConflict
from site_visits import services
from site_visits.models import SiteVisit
from tests.factories import OrganisationFactory, UserFactory
from tests.reviews.conftest import make_expert

from .conftest import scored_application, today

pytestmark = pytest.mark.django_db


def test_schedule_moves_to_site_visit_and_tells_the_team(scored, officer, second_officer, visitor_expert,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.schedule_visit(scored, date=today(), place="张店区人民西路1号",
                                        team=[second_officer, visitor_expert], by=officer)
    scored.refresh_from_db()
    assert scored.state == State.SITE_VISIT
    assert (visit.alliance, visit.version, visit.scheduled_on, visit.place, visit.status) == (
        scored, scored.current_version, today(), "张店区人民西路1号", "scheduled")
    assert set(visit.team.all()) == {second_officer, visitor_expert}
    assert AuditEvent.objects.filter(action="site_visit_scheduled", object_id=str(visit.pk)).exists()
    told = set(Notification.objects.filter(kind="site_visit_scheduled").values_list("recipient", flat=True))
    assert told == {second_officer.pk, visitor_expert.pk}


def test_schedule_twice_returns_the_same_visit(scored, officer, visitor_expert):
    first = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    again = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    assert again == first
    assert SiteVisit.objects.count() == 1


def test_expert_of_a_member_unit_is_refused_with_the_reason(scored, officer, visitor_expert):
    unit = scored.memberships.exclude(organisation=scored.chairman).first().organisation
    conflicted = make_expert(affiliation=unit, name="冲突专家").user
    with pytest.raises(WorkflowError) as refusal:
        services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert, conflicted], by=officer)
    assert refusal.value.message == f"冲突专家: The expert's organisation “{unit.name}” is a member unit of this alliance."
    scored.refresh_from_db()
    assert scored.state == State.EXPERT_REVIEW
    assert not SiteVisit.objects.exists()


def test_expert_with_a_declared_conflict_is_refused(scored, officer):
    expert = make_expert(name="声明专家")
    DeclaredConflict.objects.create(expert=expert, alliance=scored, reason="曾任顾问")
    with pytest.raises(WorkflowError) as refusal:
        services.schedule_visit(scored, date=today(), place="现场", team=[expert.user], by=officer)
    assert refusal.value.message == "声明专家: The expert declared a conflict of interest with this alliance. (曾任顾问)"


def test_officer_from_a_member_unit_is_refused_with_the_reason(scored, officer):
    unit = OrganisationFactory(name="淄博某材料研究院")
    Membership.objects.create(alliance=scored, organisation=unit, status=Membership.Status.CONFIRMED)
    from accounts.roles import Role

    seconded = UserFactory(roles=[Role.OFFICER], full_name="借调干部", organisation=unit)
    with pytest.raises(WorkflowError) as refusal:
        services.schedule_visit(scored, date=today(), place="现场", team=[seconded], by=officer)
    assert refusal.value.message == ("借调干部: The organisation of 借调干部, “淄博某材料研究院”, is a member unit of "
                                     "this alliance.")


def test_team_of_other_roles_is_refused(scored, officer, member):
    with pytest.raises(WorkflowError, match="neither a bureau officer nor an expert"):
        services.schedule_visit(scored, date=today(), place="现场", team=[member], by=officer)


def test_empty_team_past_date_and_no_place_are_refused(scored, officer, visitor_expert):
    with pytest.raises(WorkflowError, match="at least one member"):
        services.schedule_visit(scored, date=today(), place="现场", team=[], by=officer)
    with pytest.raises(WorkflowError, match="in the past"):
        services.schedule_visit(scored, date=today() - datetime.timedelta(days=1), place="现场",
                                team=[visitor_expert], by=officer)
    with pytest.raises(WorkflowError, match="where the visit"):
        services.schedule_visit(scored, date=today(), place="  ", team=[visitor_expert], by=officer)


def test_only_officers_schedule(scored, visitor_expert, department_reviewer):
    for user in (visitor_expert, scored.applicant, department_reviewer):
        with pytest.raises(NotPermitted):
            services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=user)


def test_generic_transition_cannot_start_a_visit_without_scheduling(scored, officer):
    with pytest.raises(WorkflowError) as refusal:
        transition(scored, action="start_site_visit", by=officer)
    assert refusal.value.message == "Schedule the site visit with its date, place and team on the site-visit page."
    assert review_services.blockers(scored)["start_site_visit"] == refusal.value.message


def test_call_without_site_visits_has_no_visit_stage(officer, visitor_expert):
    alliance = scored_application(officer, uses_site_visits=False)
    with pytest.raises(IllegalTransition):
        services.schedule_visit(alliance, date=today(), place="现场", team=[visitor_expert], by=officer)
    transition(alliance, action="send_to_joint_review", by=officer)
    alliance.refresh_from_db()
    assert alliance.state == State.JOINT_REVIEW


def test_visit_needs_the_experts_done(officer, visitor_expert):
    from tests.factories import CallFactory, eligible_alliance, member_user
    from tests.reviews.conftest import advance

    applicant = member_user()
    alliance = eligible_alliance(chairman=applicant.organisation,
                                 call=CallFactory(requires_district_recommendation=False))
    from alliances.services import submit_application

    submit_application(alliance, by=applicant)
    advance(alliance, officer, to=State.EXPERT_REVIEW)
    with pytest.raises(WorkflowError, match="No expert has submitted scores yet"):
        services.schedule_visit(alliance, date=today(), place="现场", team=[visitor_expert], by=officer)
    assert not SiteVisit.objects.exists()
