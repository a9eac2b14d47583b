"""Each eligibility check on its own: an eligible application passes; breaking one thing fails exactly one check,
with a message in plain words and the numbers."""

import pytest

from alliances import eligibility
from alliances.models import (
    AllianceAgreement,
    EligibilityRules,
    GovernanceMember,
    Membership,
    Organisation,
    PlannedInvestment,
    RDPlatform,
    WorkPlan,
    YearlyTarget,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def codes(alliance):
    return [problem.code for problem in eligibility.check(alliance)]


def only_problem(alliance):
    problems = eligibility.check(alliance)
    assert len(problems) == 1, problems
    return problems[0]


def test_eligible_application_passes_every_check(eligible):
    assert eligibility.check(eligible) == []


def test_too_few_core_enterprises_names_the_numbers(eligible):
    eligible.memberships.filter(role=Membership.Role.MEMBER).first().delete()
    problem = only_problem(eligible)
    assert problem.code == "too_few_core_enterprises"
    assert problem.section == "members"
    assert problem.message == "Only 2 confirmed core enterprises; at least 3 are required."


def test_invited_and_declined_members_do_not_count(eligible):
    member = eligible.memberships.filter(role=Membership.Role.MEMBER).first()
    member.status = Membership.Status.DECLINED
    member.save()
    Membership.objects.create(alliance=eligible, organisation=OrganisationFactory(), is_core=True,
                              status=Membership.Status.INVITED)
    problem = only_problem(eligible)
    assert problem.code == "too_few_core_enterprises"
    assert "Only 2 confirmed core enterprises" in problem.message
    assert "1 invitation is still waiting for an answer" in problem.message


def test_core_flag_on_a_university_does_not_make_it_a_core_enterprise(eligible):
    eligible.memberships.filter(role=Membership.Role.MEMBER).first().delete()
    Membership.objects.filter(alliance=eligible, role=Membership.Role.TECHNICAL_SUPPORT).update(is_core=True)
    assert codes(eligible) == ["too_few_core_enterprises"]


def test_threshold_comes_from_the_bureau_rules(eligible):
    rules = EligibilityRules.current()
    rules.min_core_enterprises = 4
    rules.save()
    problem = only_problem(eligible)
    assert problem.message == "Only 3 confirmed core enterprises; at least 4 are required."


def test_no_rd_organisation(eligible):
    research = eligible.memberships.get(role=Membership.Role.TECHNICAL_SUPPORT)
    research.delete()
    problem = only_problem(eligible)
    assert problem.code == "too_few_rd_organisations"
    assert problem.message.startswith("Only 0 confirmed R&D organisations")
    assert "at least 1 required" in problem.message


def test_enterprise_with_an_rd_platform_counts_as_rd_organisation(eligible):
    eligible.memberships.get(role=Membership.Role.TECHNICAL_SUPPORT).delete()
    enterprise = eligible.memberships.filter(role=Membership.Role.MEMBER).first().organisation
    RDPlatform.objects.create(organisation=enterprise, kind=RDPlatform.Kind.ENTERPRISE_CENTRE,
                              level=RDPlatform.Level.MUNICIPAL)
    assert eligibility.check(eligible) == []


def test_research_institute_counts_as_rd_organisation(eligible):
    eligible.memberships.get(role=Membership.Role.TECHNICAL_SUPPORT).delete()
    Membership.objects.create(alliance=eligible, organisation=OrganisationFactory(kind=Organisation.Kind.INSTITUTE),
                              status=Membership.Status.CONFIRMED)
    assert eligibility.check(eligible) == []


def test_invited_rd_organisation_does_not_count(eligible):
    eligible.memberships.filter(role=Membership.Role.TECHNICAL_SUPPORT).update(status=Membership.Status.INVITED)
    assert codes(eligible) == ["too_few_rd_organisations"]


def test_agreement_missing(eligible):
    AllianceAgreement.objects.filter(alliance=eligible).delete()
    problem = only_problem(eligible)
    assert (problem.code, problem.section) == ("agreement_missing", "agreement")
    assert problem.message == "The signed alliance agreement (PDF) has not been uploaded."


def test_agreement_not_required_when_the_bureau_says_so(eligible):
    AllianceAgreement.objects.filter(alliance=eligible).delete()
    rules = EligibilityRules.current()
    rules.require_agreement = False
    rules.save()
    assert eligibility.check(eligible) == []


def test_no_council(eligible):
    GovernanceMember.objects.filter(alliance=eligible, body=GovernanceMember.Body.COUNCIL).delete()
    problem = only_problem(eligible)
    assert (problem.code, problem.message) == ("no_council", "No council members are listed.")


def test_no_expert_committee(eligible):
    GovernanceMember.objects.filter(alliance=eligible, body=GovernanceMember.Body.EXPERT_COMMITTEE).delete()
    assert codes(eligible) == ["no_expert_committee"]


def test_no_standing_body(eligible):
    eligible.standing_body = "  "
    eligible.save()
    assert codes(eligible) == ["no_standing_body"]


def test_governance_not_required_when_the_bureau_says_so(eligible):
    GovernanceMember.objects.filter(alliance=eligible).delete()
    rules = EligibilityRules.current()
    rules.require_governance = False
    rules.save()
    assert eligibility.check(eligible) == []


def test_work_plan_text_missing_names_the_fields(eligible):
    WorkPlan.objects.filter(alliance=eligible).update(main_goals="", ip_rules="")
    problem = only_problem(eligible)
    assert problem.code == "work_plan_incomplete"
    assert problem.message == ("The work plan is incomplete: main goals, rules for intellectual property "
                               "missing.")


def test_work_plan_without_yearly_targets(eligible):
    YearlyTarget.objects.filter(work_plan__alliance=eligible).delete()
    assert codes(eligible) == ["no_yearly_targets"]


def test_work_plan_without_investment(eligible):
    PlannedInvestment.objects.filter(work_plan__alliance=eligible).delete()
    assert codes(eligible) == ["no_planned_investment"]


def test_work_plan_missing_entirely(eligible):
    WorkPlan.objects.filter(alliance=eligible).delete()
    assert codes(eligible) == ["work_plan_missing"]


def test_work_plan_not_required_when_the_bureau_says_so(eligible):
    WorkPlan.objects.filter(alliance=eligible).delete()
    rules = EligibilityRules.current()
    rules.require_work_plan = False
    rules.save()
    assert eligibility.check(eligible) == []


def test_basic_information_missing_names_the_fields(eligible):
    eligible.technical_direction = ""
    eligible.secretariat_phone = ""
    eligible.save()
    problem = only_problem(eligible)
    assert problem.code == "basic_incomplete"
    assert problem.message == "Basic information is incomplete: technical direction, secretariat phone missing."


@pytest.mark.parametrize(("state", "text"), [
    (Organisation.Verification.PENDING, "has not been verified by the bureau yet"),
    (Organisation.Verification.REJECTED, "The bureau rejected the registration"),
])
def test_unverified_chairman_unit_cannot_submit(eligible, state, text):
    Organisation.objects.filter(pk=eligible.chairman_id).update(verification=state)
    problem = only_problem(eligible)
    assert problem.code == "organisation_not_verified"
    assert text in problem.message
    assert eligible.chairman.name in problem.message


def test_new_draft_lists_every_missing_part(draft):
    assert codes(draft) == [
        "basic_incomplete", "too_few_core_enterprises", "too_few_rd_organisations", "no_council",
        "no_expert_committee", "no_standing_body", "agreement_missing", "work_plan_incomplete", "no_yearly_targets",
        "no_planned_investment",
    ]


def test_check_needs_a_bounded_number_of_queries(eligible, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        eligibility.check(eligible)
