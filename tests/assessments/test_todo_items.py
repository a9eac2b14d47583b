"""assessments.todo.items(user): what waits for each role, with counts and links to the filtered list."""

import datetime

import pytest

from assessments import services, todo

from .conftest import at, fill_self_assessment, fraction_scores, score_all

pytestmark = pytest.mark.django_db


def labels(user):
    return {item.url: item.count for item in todo.items(user)}


def test_officer_sees_alliances_due(pilot, officer):
    with at("2028-03-05"):
        assert labels(officer) == {"/assessments/#due": 1}


def test_chairman_sees_the_self_assessment_to_file(open_round, chairman, fellow_member):
    assert labels(chairman) == {"/assessments/?status=self_assessment": 1}
    assert labels(fellow_member) == {}


def test_overdue_self_assessment_shows_for_the_officer(open_round, officer):
    with at("2028-05-01"):
        assert labels(officer)["/assessments/?deadline=overdue"] == 1


def test_expert_sees_what_to_score_and_officer_what_to_decide(scoring_round, officer, pool, rules):
    rules.min_experts = 1
    rules.save()
    assignment = services.assign_expert(scoring_round, expert=pool[0], by=officer)
    assert labels(pool[0].user) == {"/assessments/scorecards/": 1}
    services.submit_score(assignment, by=pool[0].user, scores=fraction_scores(0.8), opinion="良好")
    assert labels(pool[0].user) == {}
    assert labels(officer) == {"/assessments/?status=expert_scoring": 1}


def test_rectification_items_for_chairman_then_officer(pilot, chairman, officer, pool):
    from .conftest import failed_round

    failed = failed_round(pilot, chairman, officer, pool)
    assert labels(chairman) == {"/assessments/?outcome=rectification": 1}
    services.submit_rectification_report(failed.rectification, by=chairman, report="已整改。")
    assert labels(chairman) == {}
    assert labels(officer)["/assessments/?outcome=rectification"] == 1


def test_nobody_else_gets_items(open_round, other_member, liaison):
    assert todo.items(other_member) == []
    assert todo.items(liaison) == []


def test_home_page_lists_the_chairmans_self_assessment(client, open_round, chairman):
    client.force_login(chairman)
    page = client.get("/").content.decode()
    assert "/assessments/?status=self_assessment" in page


def test_liaison_sees_what_the_alliances_they_follow_owe(client, open_round, pilot, chairman, officer, pool, liaison):
    """The liaison officer is told of the self-assessment awaited from the alliance they follow, then of its
    rectification; the links list those alliances' rounds only, and the filter is theirs alone."""
    from reviews.models import Supervision

    Supervision.objects.create(alliance=pilot, liaison_officer=liaison)
    assert labels(liaison) == {"/assessments/?status=self_assessment&followed=mine": 1}
    client.force_login(liaison)
    listed = client.get("/assessments/?status=self_assessment&followed=mine").context["page"].object_list
    assert [row.pk for row in listed] == [open_round.pk]

    fill_self_assessment(open_round, chairman)
    score_all(open_round, pool, officer, fraction=0.5)
    services.decide_outcome(open_round, by=officer, comment="不合格。", required_actions="补足研发投入。",
                            rectification_deadline=open_round.opened_at.date() + datetime.timedelta(days=90))
    assert labels(liaison) == {"/assessments/?outcome=rectification&followed=mine": 1}

    client.force_login(officer)
    page = client.get("/assessments/?followed=mine")
    assert "followed" not in page.context["filters"].fields  # only a liaison officer follows alliances
    assert len(page.context["page"].object_list) == 1
