"""The alliance's page links to its current certificate and to the earlier ones, for those who may see them."""

import pytest
from django.urls import reverse

from alliances.models import Alliance
from alliances.workflow import State
from reviews import services
from reviews.models import Designation, OfficialDocument
from tests.factories import AllianceFactory, member_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def upgraded(officer):
    alliance = AllianceFactory(name="淄博先进陶瓷产业技术创新战略联盟")
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    pilot = services.designate(alliance, level=Designation.Level.PILOT, by=officer)
    demonstration = services.designate(alliance, level=Designation.Level.DEMONSTRATION, by=officer)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.DEMONSTRATION)
    return alliance, pilot, demonstration


def test_member_sees_the_current_certificate_first_and_the_earlier_one(client, upgraded):
    alliance, pilot, demonstration = upgraded
    client.force_login(member_user(organisation=alliance.chairman))
    content = client.get(reverse("alliances:detail", args=[alliance.pk])).content.decode()

    current = OfficialDocument.objects.get(designation=demonstration)
    earlier = OfficialDocument.objects.get(designation=pilot)
    assert reverse("reviews:certificate", args=[demonstration.pk]) in content
    assert content.index(reverse("reviews:verify", args=[current.token])) < \
        content.index(reverse("reviews:verify", args=[earlier.token]))
    assert 'data-status="superseded"' in content


def test_no_certificates_section_before_designation(client, member):
    alliance = AllianceFactory(chairman=member.organisation)
    client.force_login(member)
    assert 'id="certificates"' not in client.get(reverse("alliances:detail", args=[alliance.pk])).content.decode()
