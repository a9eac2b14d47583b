"""Designations get the next certificate number of the year: 〔2026〕001, 〔2026〕002 …"""

import pytest
import time_machine

from alliance_portal.core.errors import NotPermitted
from reviews import services
from reviews.models import Designation
from tests.factories import eligible_alliance

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-31 23:30:00+08:00", tick=False)
def test_designate_numbers_consecutively_within_the_year(officer):
    first = services.designate(eligible_alliance(), level="pilot", by=officer)
    second = services.designate(eligible_alliance(), level="pilot", by=officer)
    assert (first.certificate_number, second.certificate_number) == ("〔2026〕001", "〔2026〕002")
    assert (first.year, first.sequence, second.sequence) == (2026, 1, 2)


def test_designate_restarts_numbering_in_a_new_local_year(officer):
    with time_machine.travel("2026-12-31 23:30:00+08:00", tick=False):
        services.designate(eligible_alliance(), level="pilot", by=officer)
    # 2026-12-31 16:30 UTC is already 2027 in Shanghai
    with time_machine.travel("2026-12-31 16:30:00+00:00", tick=False):
        later = services.designate(eligible_alliance(), level="pilot", by=officer)
    assert later.certificate_number == "〔2027〕001"


def test_designate_twice_returns_the_standing_designation(officer):
    alliance = eligible_alliance()
    first = services.designate(alliance, level="pilot", by=officer)
    assert services.designate(alliance, level="pilot", by=officer) == first
    assert Designation.objects.count() == 1


def test_designate_demonstration_takes_a_new_number(officer):
    alliance = eligible_alliance()
    pilot = services.designate(alliance, level="pilot", by=officer)
    demo = services.designate(alliance, level="demonstration", by=officer)
    assert demo.sequence == pilot.sequence + 1


def test_designate_again_after_revocation(officer):
    alliance = eligible_alliance()
    services.designate(alliance, level="pilot", by=officer)
    assert services.revoke_designations(alliance, reason="整顿不合格", by=officer) == 1
    again = services.designate(alliance, level="pilot", by=officer)
    assert again.is_standing
    assert again.sequence == 2


def test_designate_refused_for_a_member_user(member):
    with pytest.raises(NotPermitted):
        services.designate(eligible_alliance(), level="pilot", by=member)
    assert not Designation.objects.exists()


def test_format_number_pads_to_three_digits():
    assert Designation.format_number(2026, 7) == "〔2026〕007"
    assert Designation.format_number(2026, 1234) == "〔2026〕1234"
