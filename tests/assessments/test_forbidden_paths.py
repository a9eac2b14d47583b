"""Who may not do what, and in which states: through the services and through the pages."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from alliance_portal.core.errors import IllegalTransition, NotPermitted
from alliances.workflow import State
from assessments import services
from assessments.errors import Incomplete
from assessments.models import AssessmentRound
from tests.factories import eligible_alliance, health_ratings
from tests.reviews.conftest import make_expert

from .conftest import fraction_scores

pytestmark = pytest.mark.django_db

ACTORS = ["chairman", "fellow_member", "other_member", "expert", "department_reviewer", "liaison"]


@pytest.mark.parametrize("actor", ACTORS)
def test_only_officers_open_assessments(request, pilot, actor):
    with pytest.raises(NotPermitted):
        services.open_assessment(pilot, by=request.getfixturevalue(actor))
    pilot.refresh_from_db()
    assert pilot.state == State.PILOT
    assert not AssessmentRound.objects.exists()


@pytest.mark.parametrize("state_of", ["draft", "rectification"])
def test_assessment_cannot_open_outside_pilot_or_demonstration(request, officer, pilot, chairman, pool, state_of):
    if state_of == "draft":
        alliance = eligible_alliance()
    else:
        from .conftest import failed_round

        failed_round(pilot, chairman, officer, pool)
        alliance = pilot
    with pytest.raises(IllegalTransition):
        services.open_assessment(alliance, by=officer)
    assert AuditEvent.objects.filter(action="assessment_open", outcome=AuditEvent.Outcome.REFUSED).exists()


def test_opening_twice_returns_the_open_round(open_round, officer, pilot):
    assert services.open_assessment(pilot, by=officer) == open_round
    assert AssessmentRound.objects.count() == 1


@pytest.mark.parametrize("actor", ["fellow_member", "other_member", "officer", "expert"])
def test_only_the_chairman_unit_files_the_self_assessment(request, open_round, actor):
    report = open_round.self_assessment
    with pytest.raises(NotPermitted):
        services.save_self_assessment(report, by=request.getfixturevalue(actor), values={"problems": "x"},
                                      achievements={})
    report.refresh_from_db()
    assert report.problems == ""


def test_self_assessment_is_frozen_once_submitted(scoring_round, chairman):
    with pytest.raises(IllegalTransition):
        services.save_self_assessment(scoring_round.self_assessment, by=chairman, values={"problems": "改"},
                                      achievements={})


def test_incomplete_self_assessment_cannot_be_submitted(open_round, chairman):
    with pytest.raises(Incomplete) as refusal:
        services.submit_self_assessment(open_round.self_assessment, by=chairman)
    assert any("发明专利申请" in problem for problem in refusal.value.problems)
    open_round.refresh_from_db()
    assert open_round.status == AssessmentRound.Status.SELF_ASSESSMENT


@pytest.mark.parametrize("actor", ["chairman", "expert", "liaison", "department_reviewer"])
def test_only_officers_assign_experts_decide_and_set_stages(request, scoring_round, pool, actor):
    user = request.getfixturevalue(actor)
    with pytest.raises(NotPermitted):
        services.assign_expert(scoring_round, expert=pool[0], by=user)
    with pytest.raises(NotPermitted):
        services.decide_outcome(scoring_round, by=user)
    with pytest.raises(NotPermitted):
        services.set_lifecycle_stage(scoring_round.alliance, by=user, stage="growth", health=health_ratings())


def test_experts_cannot_score_before_the_self_assessment(open_round, officer, pool):
    assignment = services.assign_expert(open_round, expert=pool[0], by=officer)
    with pytest.raises(IllegalTransition):
        services.submit_score(assignment, by=pool[0].user, scores=fraction_scores(0.8), opinion="好")


def test_an_expert_cannot_score_anothers_assignment(scoring_round, officer, pool):
    assignment = services.assign_expert(scoring_round, expert=pool[0], by=officer)
    with pytest.raises(NotPermitted):
        services.submit_score(assignment, by=pool[1].user, scores=fraction_scores(0.8), opinion="好")


def test_scores_outside_the_scale_are_refused_per_field(scoring_round, officer, pool):
    from assessments.errors import InvalidInput

    assignment = services.assign_expert(scoring_round, expert=pool[0], by=officer)
    scores = fraction_scores(0.8)
    first = next(iter(scores))
    scores[first] = scores[first] * 5
    with pytest.raises(InvalidInput) as refusal:
        services.submit_score(assignment, by=pool[0].user, scores=scores, opinion="")
    assert set(refusal.value.field_errors) == {f"score_{first}", "opinion"}
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_outcome_needs_every_assigned_expert_and_the_minimum(scoring_round, officer, pool):
    with pytest.raises(Incomplete):
        services.decide_outcome(scoring_round, by=officer)  # nobody assigned
    first = services.assign_expert(scoring_round, expert=pool[0], by=officer)
    services.assign_expert(scoring_round, expert=pool[1], by=officer)
    services.submit_score(first, by=pool[0].user, scores=fraction_scores(0.8), opinion="好")
    with pytest.raises(Incomplete) as refusal:
        services.decide_outcome(scoring_round, by=officer)
    assert str(pool[1]) in refusal.value.problems[0]


def test_outcome_cannot_be_decided_before_the_self_assessment(open_round, officer):
    with pytest.raises(IllegalTransition):
        services.decide_outcome(open_round, by=officer)


def test_a_decided_round_takes_no_more_experts_and_returns_itself(scoring_round, officer, pool):
    from .conftest import score_all

    score_all(scoring_round, pool, officer, fraction=0.7)
    decided = services.decide_outcome(scoring_round, by=officer)
    assert services.decide_outcome(scoring_round, by=officer) == decided  # a second click changes nothing
    with pytest.raises(IllegalTransition):
        services.assign_expert(scoring_round, expert=make_expert(name="迟到专家"), by=officer)


def test_rectification_report_only_from_the_chairman_unit(pilot, chairman, fellow_member, officer, pool):
    from .conftest import failed_round

    failed = failed_round(pilot, chairman, officer, pool)
    for user in (fellow_member, officer):
        with pytest.raises(NotPermitted):
            services.submit_rectification_report(failed.rectification, by=user, report="完成")
    failed.rectification.refresh_from_db()
    assert failed.rectification.reported_at is None


# --- Through the pages ------------------------------------------------------------------------------

PAGES = [
    # (url name, needs, method)  needs: what object the URL names
    ("assessments:detail", "round", "get"),
    ("assessments:self_assessment", "round", "get"),
    ("assessments:assign_expert", "round", "post"),
    ("assessments:decide", "round", "post"),
    ("assessments:set_stage", "round", "post"),
]

# Expected status per (page, actor): 404 when the object is not theirs to see at all, 403 when they see it
# but may not act.
EXPECTED = {
    "other_member": {"assessments:detail": 404, "assessments:self_assessment": 404, "assessments:assign_expert": 404,
                     "assessments:decide": 404, "assessments:set_stage": 404},
    "expert": {"assessments:detail": 404, "assessments:self_assessment": 404, "assessments:assign_expert": 404,
               "assessments:decide": 404, "assessments:set_stage": 404},
    "fellow_member": {"assessments:detail": 200, "assessments:self_assessment": 403, "assessments:assign_expert": 403,
                      "assessments:decide": 403, "assessments:set_stage": 403},
    "chairman": {"assessments:detail": 200, "assessments:self_assessment": 200, "assessments:assign_expert": 403,
                 "assessments:decide": 403, "assessments:set_stage": 403},
    "liaison": {"assessments:detail": 200, "assessments:self_assessment": 403, "assessments:assign_expert": 403,
                "assessments:decide": 403, "assessments:set_stage": 403},
    "officer": {"assessments:detail": 200, "assessments:self_assessment": 403, "assessments:assign_expert": 400,
                "assessments:decide": 409, "assessments:set_stage": 400},
}


@pytest.mark.parametrize(("actor", "name"), [(a, n) for a, pages in EXPECTED.items() for n in pages])
def test_pages_answer_each_role(request, client, open_round, actor, name):
    client.force_login(request.getfixturevalue(actor))
    url = reverse(name, args=[open_round.pk])
    method = {n: m for n, _needs, m in PAGES}[name]
    response = client.get(url) if method == "get" else client.post(url, {})
    assert response.status_code == EXPECTED[actor][name]
    open_round.refresh_from_db()
    assert open_round.status == AssessmentRound.Status.SELF_ASSESSMENT


def test_anonymous_visitors_are_sent_to_sign_in(client, open_round):
    response = client.get(reverse("assessments:detail", args=[open_round.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("actor", ["chairman", "expert", "liaison"])
def test_only_officers_reach_the_open_page(request, client, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("assessments:open")).status_code == 403


def test_experts_without_an_organisation_see_no_assessment_list(client, expert):
    client.force_login(expert)
    assert client.get(reverse("assessments:list")).status_code == 403


def test_submitted_self_assessment_page_is_closed_to_the_chairman(client, scoring_round, chairman):
    client.force_login(chairman)
    assert client.get(reverse("assessments:self_assessment", args=[scoring_round.pk])).status_code == 403


def test_rectification_page_is_hidden_from_other_units(client, pilot, chairman, officer, pool, other_member):
    from .conftest import failed_round

    failed = failed_round(pilot, chairman, officer, pool)
    client.force_login(other_member)
    assert client.get(failed.rectification.get_absolute_url()).status_code == 404
    client.force_login(chairman)
    page = client.get(failed.rectification.get_absolute_url())
    assert page.status_code == 200
    assert "召开理事会" in page.content.decode()
