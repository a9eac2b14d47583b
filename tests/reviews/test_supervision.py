"""A liaison officer and a responsible department can be assigned to a designated alliance."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from alliance_portal.core.errors import NotPermitted, WorkflowError
from alliances.models import Alliance
from alliances.workflow import State
from reviews import services
from reviews.models import Department, Supervision
from tests.factories import AllianceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def designated(officer):
    alliance = AllianceFactory()
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT, current_version=1)
    services.designate(alliance, level="pilot", by=officer)
    return alliance


def test_officer_assigns_liaison_and_department_on_the_page(client, designated, officer, liaison):
    department = Department.objects.get(code="industry-it")
    client.force_login(officer)
    response = client.post(reverse("reviews:supervision", args=[designated.pk]),
                           {"liaison_officer": liaison.pk, "responsible_department": department.pk}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "The liaison officer and responsible department were saved." in response.content.decode()
    row = Supervision.objects.get(alliance=designated)
    assert (row.liaison_officer, row.responsible_department, row.assigned_by) == (liaison, department, officer)


def test_only_liaison_officers_can_be_named(designated, officer):
    with pytest.raises(WorkflowError, match="is not a liaison officer"):
        services.assign_supervision(designated, liaison_officer=UserFactory(roles=[Role.EXPERT]), department=None,
                                    by=officer)


def test_member_cannot_assign(designated, member):
    with pytest.raises(NotPermitted):
        services.assign_supervision(designated, liaison_officer=None, department=None, by=member)
