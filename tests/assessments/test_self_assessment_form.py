"""The alliance's self-assessment: prefilled from the portal, numbered sections, drafts, errors beside fields."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentRound

from .conftest import at

pytestmark = pytest.mark.django_db


def test_form_shows_numbered_sections_and_the_portals_figures(client, open_round, chairman):
    client.force_login(chairman)
    page = client.get(reverse("assessments:self_assessment", args=[open_round.pk])).content.decode()
    for anchor in ("section-goals", "section-projects", "section-outputs", "section-activities", "section-revenue",
                   "section-narrative"):
        assert f'id="{anchor}"' in page
    assert "recorded-figure" in page


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(client, open_round, chairman):
    client.force_login(chairman)
    report = open_round.self_assessment
    target = report.target_achievements.get()
    response = client.post(reverse("assessments:self_assessment", args=[open_round.pk]), {
        "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "1", "targets-0-id": str(target.pk),
        "targets-0-achieved_value": "-3", "targets-0-note": "待核实",
        "projects_started": "很多", "investment_completed": "1200.5", "achievements": "突破三项关键技术", "save": "1",
    })
    assert response.status_code == 200
    assert "projects_started" in response.context["form"].errors
    assert response.context["targets"].forms[0].errors
    page = response.content.decode()
    assert 'value="很多"' in page
    assert "突破三项关键技术" in page
    assert 'value="-3"' in page
    assert "待核实" in page
    report.refresh_from_db()
    assert report.achievements == ""


def test_draft_saves_partially_and_submission_lists_what_is_missing(client, open_round, chairman):
    client.force_login(chairman)
    report = open_round.self_assessment
    target = report.target_achievements.get()
    data = {"targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "1", "targets-0-id": str(target.pk),
            "targets-0-achieved_value": "", "targets-0-note": "", "investment_completed": "1200.5",
            "achievements": "突破三项关键技术"}
    response = client.post(reverse("assessments:self_assessment", args=[open_round.pk]), {**data, "save": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.investment_completed == Decimal("1200.5")
    assert report.updated_by == chairman
    response = client.post(reverse("assessments:self_assessment", args=[open_round.pk]), {**data, "submit": "1"})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any("发明专利申请" in problem for problem in problems)
    open_round.refresh_from_db()
    assert open_round.status == AssessmentRound.Status.SELF_ASSESSMENT


def test_submission_notifies_the_bureau(open_round, chairman, officer, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    from .conftest import fill_self_assessment

    with django_capture_on_commit_callbacks(execute=True):
        fill_self_assessment(open_round, chairman)
    assert Notification.objects.filter(recipient=officer, kind="self_assessment_submitted").exists()


def test_opening_notifies_the_chairman_unit(pilot, officer, chairman, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True), at("2028-03-05"):
        services.open_assessment(pilot, by=officer, due_date=datetime.date(2028, 4, 30))
    note = Notification.objects.get(recipient=chairman, kind="assessment_opened")
    assert pilot.name in note.title
