"""The district reviewer's pages: the queue, recommending with a letter, declining, ranking, the letter itself."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance_portal.core.todo import collect
from alliances.workflow import State
from recommendations import services
from recommendations.models import DistrictRecommendation

from .conftest import BOSHAN, PNG, letter, waiting_application

pytestmark = pytest.mark.django_db


def test_queue_lists_own_district_waiting_applications_only(client, call, reviewer, waiting):
    waiting_application(call, district_code=BOSHAN, name="博山联盟")
    client.force_login(reviewer)
    response = client.get(reverse("recommendations:queue"))
    assert response.status_code == 200
    assert [a.pk for a in response.context["applications"]] == [waiting.pk]
    assert "博山联盟" not in response.content.decode()
    [summary] = response.context["calls"]
    assert (summary.pk, summary.waiting, summary.used, summary.district_quota) == (call.pk, 1, 0, 2)


def queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("recommendations:queue"))
    assert response.status_code == 200
    return len(captured)


def test_queue_query_count_does_not_grow(client, call, reviewer):
    client.force_login(reviewer)
    for _ in range(2):
        waiting_application(call)
    two = queue_queries(client)
    for _ in range(6):
        waiting_application(call)
    eight = queue_queries(client)
    assert len(client.get(reverse("recommendations:queue")).context["applications"]) == 8
    assert two == eight


def test_application_page_shows_the_application_read_only(client, waiting, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("recommendations:application", args=[waiting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert waiting.technical_direction in page
    assert "山东理工大学" in page  # a member unit, from the application summary
    assert 'id="recommend-form"' in page
    assert 'id="decline-form"' in page
    assert response.context["quota"].limit == 2


def test_recommend_through_the_page(client, waiting, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("recommendations:recommend", args=[waiting.pk]), {"letter": letter()})
    assert response.status_code == 302
    assert response.url == reverse("recommendations:queue")
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED


def test_forged_letter_is_a_form_error_and_nothing_changes(client, waiting, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("recommendations:recommend", args=[waiting.pk]),
                           {"letter": letter(PNG, name="推荐函.pdf")})
    assert response.status_code == 400
    assert "letter" in response.context["recommend_form"].errors
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_missing_letter_is_a_form_error(client, waiting, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("recommendations:recommend", args=[waiting.pk]), {})
    assert response.status_code == 400
    assert response.context["recommend_form"].errors["letter"]


def test_quota_refusal_is_shown_on_the_page(client, call, reviewer):
    first, second, third = (waiting_application(call, name=f"联盟{n}") for n in "甲乙丙")
    for alliance in (first, second):
        services.recommend(alliance, letter=letter(), by=reviewer)
    client.force_login(reviewer)
    with translation.override("zh-hans"):
        response = client.post(reverse("recommendations:recommend", args=[third.pk]), {"letter": letter()},
                               HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    [error] = response.context["recommend_form"].non_field_errors()
    assert "联盟甲、联盟乙" in error
    assert "第一批" in error


def test_decline_without_reason_keeps_the_page(client, waiting, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("recommendations:decline", args=[waiting.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"]
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_decline_through_the_page_and_the_applicant_reads_the_reason(client, waiting, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("recommendations:decline", args=[waiting.pk]), {"reason": "未达到本区推荐条件"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == State.NOT_RECOMMENDED
    client.force_login(waiting.applicant)
    page = client.get(reverse("alliances:detail", args=[waiting.pk])).content.decode()
    assert "未达到本区推荐条件" in page


def test_ranking_page_reorders(client, call, reviewer):
    first, second = (waiting_application(call, name=f"联盟{n}") for n in "甲乙")
    for alliance in (first, second):
        services.recommend(alliance, letter=letter(), by=reviewer)
    client.force_login(reviewer)
    url = reverse("recommendations:ranking", args=[call.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["quota"].limit == 2
    assert response.context["quota"].used == 2
    response = client.post(url, {f"position_{first.pk}": "2", f"position_{second.pk}": "1"})
    assert response.status_code == 302
    assert list(DistrictRecommendation.objects.order_by("rank").values_list("alliance_id", flat=True)) == [
        second.pk, first.pk]


def test_ranking_page_of_another_district_shows_only_its_own(client, call, reviewer, other_reviewer, waiting):
    services.recommend(waiting, letter=letter(), by=reviewer)
    client.force_login(other_reviewer)
    response = client.get(reverse("recommendations:ranking", args=[call.pk]))
    assert response.status_code == 200
    assert response.context["form"].recommendations == []


def test_letter_download_for_the_bureau_and_the_applicant_only(client, waiting, reviewer, other_reviewer, officer,
                                                              other_member):
    services.recommend(waiting, letter=letter(), by=reviewer)
    url = reverse("recommendations:letter", args=[DistrictRecommendation.objects.get().pk])
    for user in (officer, waiting.applicant, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in (other_reviewer, other_member):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_officer_review_page_shows_the_districts_decision(client, waiting, reviewer, officer):
    services.recommend(waiting, letter=letter(), by=reviewer)
    client.force_login(officer)
    page = client.get(reverse("reviews:application", args=[waiting.pk])).content.decode()
    assert 'id="district-recommendation"' in page
    assert reverse("recommendations:letter", args=[DistrictRecommendation.objects.get().pk]) in page


def test_todo_counts_the_districts_waiting_applications(call, reviewer, other_reviewer, waiting):
    waiting_application(call)
    [item] = [i for i in collect(reviewer) if i.url == reverse("recommendations:queue")]
    assert item.count == 2
    assert not [i for i in collect(other_reviewer) if i.url == reverse("recommendations:queue")]


def test_menu_entry_for_district_reviewers_only(client, reviewer, officer):
    client.force_login(reviewer)
    assert reverse("recommendations:queue") in client.get(reverse("home")).content.decode()
    client.force_login(officer)
    assert reverse("recommendations:queue") not in client.get(reverse("home")).content.decode()


def test_pages_speak_chinese(client, call, reviewer, waiting):
    client.force_login(reviewer)
    page = client.get(reverse("recommendations:queue"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "区县推荐" in page
    assert "各批次推荐情况" in page
    page = client.get(reverse("recommendations:application", args=[waiting.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "该批次每个区县限推荐2项；已推荐0项，尚余2项。" in page
    assert "推荐至市科技局" in page
