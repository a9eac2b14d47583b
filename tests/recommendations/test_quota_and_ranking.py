"""A call's quota per district: more recommendations are refused with the reason; the district ranks its own."""

import pytest

from alliance_portal.core.errors import NotPermitted, WorkflowError
from alliances.models import Alliance
from alliances.transitions import transition
from alliances.workflow import State
from recommendations import selectors, services
from recommendations.models import DistrictRecommendation
from tests.factories import CallFactory, district

from .conftest import BOSHAN, ZHANGDIAN, letter, waiting_application

pytestmark = pytest.mark.django_db


def recommend_all(applications, reviewer):
    for alliance in applications:
        services.recommend(alliance, letter=letter(), by=reviewer)


def test_recommendation_beyond_the_quota_is_refused_with_the_reason(call, reviewer):
    first, second, third = (waiting_application(call, name=f"联盟{n}") for n in "甲乙丙")
    recommend_all([first, second], reviewer)
    with pytest.raises(WorkflowError) as refusal:
        services.recommend(third, letter=letter(), by=reviewer)
    assert refusal.value.message == ("“第一批” allows 2 recommendation(s) per district; 张店区 has recommended 2 "
                                     "already: 联盟甲、联盟乙.")
    third.refresh_from_db()
    assert third.state == State.DISTRICT_REVIEW
    assert DistrictRecommendation.objects.filter(alliance=third).count() == 0


def test_quota_counts_per_district(call, reviewer, other_reviewer):
    recommend_all([waiting_application(call), waiting_application(call)], reviewer)
    elsewhere = waiting_application(call, district_code=BOSHAN)
    services.recommend(elsewhere, letter=letter(), by=other_reviewer)
    elsewhere.refresh_from_db()
    assert elsewhere.state == State.SUBMITTED


def test_quota_counts_per_call(call, reviewer):
    recommend_all([waiting_application(call), waiting_application(call)], reviewer)
    other_call = CallFactory(district_quota=1)
    later = waiting_application(other_call)
    services.recommend(later, letter=letter(), by=reviewer)
    assert selectors.quota(other_call, district(ZHANGDIAN)).used == 1


def test_no_quota_means_no_limit(reviewer):
    open_call = CallFactory(district_quota=None)
    applications = [waiting_application(open_call) for _ in range(3)]
    recommend_all(applications, reviewer)
    assert Alliance.objects.filter(call=open_call, state=State.SUBMITTED).count() == 3


def test_a_withdrawn_application_frees_its_place(call, reviewer):
    first, second, third = (waiting_application(call) for _ in range(3))
    recommend_all([first, second], reviewer)

    transition(first, action="withdraw", by=first.applicant)
    services.recommend(third, letter=letter(), by=reviewer)
    third.refresh_from_db()
    assert third.state == State.SUBMITTED


def test_declining_uses_no_place(call, reviewer):
    first, second, third = (waiting_application(call) for _ in range(3))
    services.decline(first, reason="不符合条件", by=reviewer)
    recommend_all([second, third], reviewer)
    assert selectors.quota(call, district(ZHANGDIAN)).used == 2


def test_recommendations_are_ranked_in_order_and_can_be_reordered(call, reviewer):
    call.district_quota = 3
    call.save(update_fields=["district_quota"])
    applications = [waiting_application(call, name=f"联盟{n}") for n in "甲乙丙"]
    recommend_all(applications, reviewer)
    ranked = list(selectors.counted_recommendations(call, district(ZHANGDIAN)).values_list("alliance__name", "rank"))
    assert ranked == [("联盟甲", 1), ("联盟乙", 2), ("联盟丙", 3)]
    services.rank(call, district(ZHANGDIAN), ordered_alliance_ids=[applications[2].pk, applications[0].pk,
                                                                    applications[1].pk], by=reviewer)
    ranked = list(selectors.counted_recommendations(call, district(ZHANGDIAN)).values_list("alliance__name", "rank"))
    assert ranked == [("联盟丙", 1), ("联盟甲", 2), ("联盟乙", 3)]


def test_ranking_must_list_each_recommendation_once(call, reviewer):
    first, second = (waiting_application(call) for _ in range(2))
    recommend_all([first, second], reviewer)
    with pytest.raises(WorkflowError):
        services.rank(call, district(ZHANGDIAN), ordered_alliance_ids=[first.pk], by=reviewer)
    with pytest.raises(WorkflowError):
        services.rank(call, district(ZHANGDIAN), ordered_alliance_ids=[first.pk, first.pk], by=reviewer)


def test_another_district_cannot_rank(call, reviewer, other_reviewer):
    first = waiting_application(call)
    recommend_all([first], reviewer)
    with pytest.raises(NotPermitted):
        services.rank(call, district(ZHANGDIAN), ordered_alliance_ids=[first.pk], by=other_reviewer)
