"""The bureau gives a district reviewer their district in the admin; a district reviewer without one is refused."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db

ZHANGDIAN = "370303"
REFUSAL_ZH = "区县审核人员必须指定所属区县：请选择其负责审核的区县，或取消其“区县科技部门审核人员”角色。"
REFUSAL_EN = ("A district reviewer needs a district: choose the district whose applications they review, or remove "
              "the district reviewer group.")


@pytest.fixture
def person(db):
    return UserFactory(username="liuke", full_name="张店区科技局 刘科长", email="liuke@example.cn")


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def change_form(user, *, roles=(), district_obj=None) -> dict:
    """The change form as the admin posts it, with the given roles (groups) and district."""
    return {
        "username": user.username, "first_name": "", "last_name": "", "email": user.email,
        "is_active": "on", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
        "groups": [Group.objects.get(name=Role(role).value).pk for role in roles],
        "full_name": user.full_name, "phone": "", "organisation": "",
        "district": district_obj.pk if district_obj else "",
    }


def test_change_form_shows_the_district(admin_client, person):
    response = admin_client.get(change_url(person))
    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.fields
    assert 'name="district"' in response.content.decode()
    assert "张店区" in response.content.decode()  # a choice


def test_district_reviewer_without_district_is_refused_and_nothing_saved(admin_client, person):
    response = admin_client.post(change_url(person), change_form(person, roles=[Role.DISTRICT_REVIEWER]))
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["district"] == [REFUSAL_ZH]
    assert REFUSAL_ZH in response.content.decode()
    person.refresh_from_db()
    assert person.district is None
    assert not person.groups.exists()


def test_refusal_is_explained_in_english_too(admin_client, person):
    response = admin_client.post(change_url(person), change_form(person, roles=[Role.DISTRICT_REVIEWER]),
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["adminform"].form.errors["district"] == [REFUSAL_EN]


def test_removing_the_district_of_a_district_reviewer_is_refused(admin_client, person):
    person.district = district(ZHANGDIAN)
    person.save(update_fields=["district"])
    person.groups.add(Group.objects.get(name=Role.DISTRICT_REVIEWER.value))
    response = admin_client.post(change_url(person), change_form(person, roles=[Role.DISTRICT_REVIEWER]))
    assert response.context["adminform"].form.errors["district"] == [REFUSAL_ZH]
    person.refresh_from_db()
    assert person.district == district(ZHANGDIAN)


def test_district_reviewer_with_district_is_saved(admin_client, person):
    response = admin_client.post(change_url(person), change_form(person, roles=[Role.DISTRICT_REVIEWER],
                                                                 district_obj=district(ZHANGDIAN)))
    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.district == district(ZHANGDIAN)
    assert person.has_role(Role.DISTRICT_REVIEWER)


def test_other_roles_need_no_district(admin_client, person):
    response = admin_client.post(change_url(person), change_form(person, roles=[Role.EXPERT]))
    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert (person.district, person.has_role(Role.EXPERT)) == (None, True)


def test_user_list_shows_and_filters_by_district(admin_client, person):
    reviewer = UserFactory(roles=[Role.DISTRICT_REVIEWER], district=district(ZHANGDIAN), username="zhangdian_reviewer")
    response = admin_client.get(reverse("admin:accounts_user_changelist"),
                                {"district__id__exact": district(ZHANGDIAN).pk})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [reviewer]
    assert "张店区" in response.content.decode()
