"""A new application answers one open call covering its sector; without any open call it is created as before."""

from datetime import timedelta

import pytest
from django.urls import reverse

from alliances import services as alliances
from alliances.models import Alliance
from calls.errors import CallError
from tests.factories import SectorFactory

from .conftest import make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def test_without_an_open_call_no_application_can_be_started(logged_in, officer, sector, member):
    make_call(officer, opens_in=timedelta(days=-60), closes_in=timedelta(days=-1))  # closed
    make_call(officer, batch_number=2, publish=False)  # not published
    page = logged_in.get(reverse("alliances:create")).content.decode()
    assert 'id="no-open-call"' in page
    assert reverse("calls:list") in page
    assert 'name="name"' not in page
    response = logged_in.post(reverse("alliances:create"), {"name": "淄博市先进陶瓷产业技术创新战略联盟",
                                                            "sector": sector.pk})
    assert response.status_code == 200
    assert 'id="no-open-call"' in response.content.decode()
    assert not Alliance.objects.filter(chairman=member.organisation).exists()


def test_the_only_open_call_is_chosen_already(logged_in, officer):
    call = make_call(officer)
    page = logged_in.get(reverse("alliances:create")).content.decode()
    assert f'<option value="{call.pk}" selected>' in page


def test_an_open_call_must_be_chosen(logged_in, officer, sector, member):
    call = make_call(officer)
    response = logged_in.post(reverse("alliances:create"), {"name": "淄博市先进陶瓷产业技术创新战略联盟",
                                                            "sector": sector.pk})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Alliance.objects.exists()
    response = logged_in.post(reverse("alliances:create"), {"name": "淄博市先进陶瓷产业技术创新战略联盟",
                                                            "sector": sector.pk, "call": call.pk})
    alliance = Alliance.objects.get(chairman=member.organisation)
    assert response["Location"] == reverse("alliances:step", args=[alliance.pk, 1])
    assert alliance.call == call


def test_only_open_calls_are_offered_and_the_sector_must_be_covered(logged_in, officer, sector):
    other = SectorFactory(code="biomedicine", name="生物医药")
    covering = make_call(officer, batch_number=1, sectors=[sector])
    everyone = make_call(officer, batch_number=2)
    elsewhere = make_call(officer, batch_number=3, sectors=[other])
    closed = make_call(officer, batch_number=4, opens_in=timedelta(days=-90), closes_in=timedelta(days=-30))
    page = logged_in.get(reverse("alliances:create")).content.decode()
    field = page[page.index('name="call"'):page.index("</select>", page.index('name="call"'))]
    offered = {int(part.split('"')[0]) for part in field.split('value="')[1:] if part.split('"')[0]}
    assert offered == {covering.pk, everyone.pk, elsewhere.pk}
    assert closed.pk not in offered
    response = logged_in.post(reverse("alliances:create"), {"name": "淄博市陶瓷联盟", "sector": sector.pk,
                                                            "call": elsewhere.pk})
    assert f"“{elsewhere.title}” does not cover the sector {sector.name}" in response.content.decode()
    assert not Alliance.objects.exists()


def test_apply_link_preselects_the_call(logged_in, officer):
    call = make_call(officer)
    page = logged_in.get(reverse("alliances:create") + f"?call={call.pk}").content.decode()
    assert f'<option value="{call.pk}" selected>' in page


def test_the_service_refuses_a_closed_call(officer, member, sector):
    call = make_call(officer, opens_in=timedelta(days=-60), closes_in=timedelta(days=-1))
    with pytest.raises(CallError, match="it is not open now"):
        alliances.create_alliance(by=member, name="淄博市陶瓷联盟", sector=sector, call=call)
    assert not Alliance.objects.exists()
