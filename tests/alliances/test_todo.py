"""The alliances app's to-do entries: invitations to answer, drafts to finish, returned applications."""

import pytest
from django.urls import reverse

from alliances import services, todo
from alliances.models import Alliance
from alliances.workflow import State
from tests.factories import AllianceFactory

pytestmark = pytest.mark.django_db


def counts(user):
    return {item.url: item.count for item in todo.items(user)}


def test_member_sees_drafts_returned_and_invitations(member, other_member, sector):
    services.create_alliance(by=member, name="淄博市智能装备产业技术创新战略联盟", sector=sector)
    returned = AllianceFactory(chairman=member.organisation)
    Alliance.objects.filter(pk=returned.pk).update(state=State.RETURNED)
    theirs = services.create_alliance(by=other_member, name="淄博市生物医药产业技术创新战略联盟", sector=sector)
    services.invite_member(theirs, by=other_member, credit_code=member.organisation.credit_code)
    found = counts(member)
    assert found[reverse("alliances:invitations")] == 1
    assert found[reverse("alliances:list") + "?state=returned"] == 1
    assert found[reverse("alliances:list") + "?state=draft"] == 1


def test_nothing_waits_for_a_new_member(member):
    assert all(item.count == 0 for item in todo.items(member))


def test_bureau_users_get_no_alliance_items(officer):
    assert todo.items(officer) == []


def test_items_cost_two_queries(member, django_assert_num_queries):
    assert member.role_names  # loads the role cache, as the home page has done before it asks the apps
    with django_assert_num_queries(2):
        todo.items(member)
