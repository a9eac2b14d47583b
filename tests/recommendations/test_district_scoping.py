"""A district reviewer sees only its own district's applications, and only while they wait for it."""

import pytest
from django.urls import reverse

from alliance_portal.core.errors import NotPermitted
from alliances.models import Alliance
from alliances.workflow import State
from recommendations import services
from tests.factories import UserFactory

from .conftest import BOSHAN, letter, waiting_application

pytestmark = pytest.mark.django_db


def test_visible_to_is_the_district_step_only(call, reviewer, waiting):
    elsewhere = waiting_application(call, district_code=BOSHAN)
    assert list(Alliance.objects.visible_to(reviewer)) == [waiting]
    services.recommend(waiting, letter=letter(), by=reviewer)
    assert list(Alliance.objects.visible_to(reviewer)) == []
    assert elsewhere.pk not in Alliance.objects.visible_to(reviewer).values_list("pk", flat=True)


def test_reviewer_of_another_district_may_not_recommend_or_decline(waiting, other_reviewer):
    with pytest.raises(NotPermitted):
        services.recommend(waiting, letter=letter(), by=other_reviewer)
    with pytest.raises(NotPermitted):
        services.decline(waiting, reason="不推荐", by=other_reviewer)
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_other_roles_may_not_recommend(waiting, officer, member):
    for user in (officer, member, waiting.applicant):
        with pytest.raises(NotPermitted):
            services.recommend(waiting, letter=letter(), by=user)


def test_reviewer_without_district_sees_nothing(call, waiting):
    from accounts.roles import Role

    unscoped = UserFactory(roles=[Role.DISTRICT_REVIEWER])
    assert list(Alliance.objects.visible_to(unscoped)) == []
    with pytest.raises(NotPermitted):
        services.recommend(waiting, letter=letter(), by=unscoped)


def test_other_districts_application_is_404_on_every_page(client, waiting, other_reviewer):
    client.force_login(other_reviewer)
    for name in ("recommendations:application", "alliances:detail"):
        assert client.get(reverse(name, args=[waiting.pk])).status_code == 404
    response = client.post(reverse("recommendations:recommend", args=[waiting.pk]), {"letter": letter()})
    assert response.status_code == 404
    assert client.post(reverse("recommendations:decline", args=[waiting.pk]), {"reason": "x"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_application_past_the_district_step_is_404(client, waiting, reviewer):
    services.recommend(waiting, letter=letter(), by=reviewer)
    client.force_login(reviewer)
    assert client.get(reverse("recommendations:application", args=[waiting.pk])).status_code == 404
    assert client.get(reverse("alliances:detail", args=[waiting.pk])).status_code == 404


def test_draft_of_own_district_is_invisible(call, reviewer, client):
    from tests.factories import eligible_alliance

    draft = eligible_alliance(call=call)
    assert draft.chairman.district_id == reviewer.district_id
    client.force_login(reviewer)
    assert client.get(reverse("alliances:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("recommendations:application", args=[draft.pk])).status_code == 404


def test_forbidden_roles_get_403_on_the_district_pages(client, officer, member, waiting):
    for user in (officer, member):
        client.force_login(user)
        assert client.get(reverse("recommendations:queue")).status_code == 403
        assert client.get(reverse("recommendations:application", args=[waiting.pk])).status_code == 403


def test_api_lists_only_the_district_step(client, call, reviewer, waiting):
    waiting_application(call, district_code=BOSHAN)
    client.force_login(reviewer)
    response = client.get("/api/v1/alliances/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [waiting.pk]
