"""Pilot → assessment → demonstration through the pages, as each role in turn: officer, chairman unit, experts."""

import pytest
from django.urls import reverse

from alliances.workflow import State
from assessments.models import AssessmentRound, SelfAssessment
from reviews.models import Designation

from .conftest import at, fraction_scores

pytestmark = pytest.mark.django_db


def test_assessment_journey_through_the_pages(client, pilot, chairman, officer, pool):
    with at("2028-03-05"):
        # The officer sees the alliance due and opens its biennial assessment.
        client.force_login(officer)
        page = client.get(reverse("assessments:list")).content.decode()
        assert "淄博先进陶瓷产业技术创新战略联盟" in page
        assert 'id="due"' in page
        response = client.post(reverse("assessments:open"), {
            "alliance": pilot.pk, "kind": "biennial", "due_date": "2028-04-05", "comment": "请按时提交自评报告。"})
        assessment = AssessmentRound.objects.get(alliance=pilot)
        assert response.status_code == 302
        assert response["Location"] == assessment.get_absolute_url()
        pilot.refresh_from_db()
        assert pilot.state == State.ASSESSMENT

        # The chairman unit fills in the self-assessment, saves a draft, then submits.
        client.force_login(chairman)
        form_page = client.get(reverse("assessments:self_assessment", args=[assessment.pk]))
        assert form_page.status_code == 200
        assert "发明专利申请" in form_page.content.decode()  # the work plan's 2027 target
        report = assessment.self_assessment
        target_row = report.target_achievements.get()
        data = {
            "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "1",
            "targets-0-id": str(target_row.pk), "targets-0-achieved_value": "12", "targets-0-note": "超额完成",
            "projects_started": "8", "projects_completed": "5", "investment_completed": "1850.5",
            "patents_applied": "14", "patents_granted": "6", "standards": "2", "new_products": "4",
            "activities_held": "5", "members_joined": "0", "members_left": "0", "revenue": "125000",
            "goals_summary": "完成主要目标。", "achievements": "突破关键技术。", "problems": "投入不足。",
            "next_steps": "建设公共平台。",
        }
        assert client.post(reverse("assessments:self_assessment", args=[assessment.pk]),
                           {**data, "save": "1"}).status_code == 302
        response = client.post(reverse("assessments:self_assessment", args=[assessment.pk]), {**data, "submit": "1"})
        assert response.status_code == 302
        report = SelfAssessment.objects.get(pk=report.pk)
        assert report.submitted_at is not None
        assert report.patents_applied == 14
        assert str(report.target_achievements.get().achieved_value) == "12.0000"

        # The officer asks three experts; each scores on his own page.
        client.force_login(officer)
        for expert in pool:
            response = client.post(reverse("assessments:assign_expert", args=[assessment.pk]), {"expert": expert.pk})
            assert response.status_code == 302
        for expert in pool:
            client.force_login(expert.user)
            assignment = assessment.assignments.get(expert=expert)
            scores = {f"score_{pk}": str(value) for pk, value in fraction_scores(0.9).items()}
            response = client.post(reverse("assessments:scorecard", args=[assignment.pk]),
                                   {**scores, "opinion": "成效显著，建议认定为示范单位。"})
            assert response.status_code == 302

        # The officer sees the mean score and decides.
        client.force_login(officer)
        page = client.get(assessment.get_absolute_url()).content.decode()
        assert "90.00" in page
        response = client.post(reverse("assessments:decide", args=[assessment.pk]), {"comment": "同意认定为示范单位。"})
        assert response.status_code == 302

    pilot.refresh_from_db()
    assessment.refresh_from_db()
    assert pilot.state == State.DEMONSTRATION
    assert assessment.outcome == AssessmentRound.Outcome.DEMONSTRATION
    assert Designation.objects.filter(alliance=pilot, level="demonstration", revoked_at__isnull=True).exists()

    # The chairman unit sees the outcome, but not the experts' individual scores.
    client.force_login(chairman)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "认定为示范单位" in page
    assert 'id="experts"' not in page
    assert "成效显著，建议认定为示范单位。" not in page
