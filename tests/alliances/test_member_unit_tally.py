"""The dashboard's member-unit tally is kept by the membership services in the same transaction, counts a
unit once however many alliances it joins, and the command compares and rebuilds it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import services as account_services
from alliances import services, tally
from alliances.models import Alliance, Membership, MemberUnitTally, Organisation
from dashboards.selectors import Board, DashboardFilters
from tests.factories import OrganisationFactory, SectorFactory, district

from .conftest import invite_and_confirm

pytestmark = pytest.mark.django_db
ANY = MemberUnitTally.ANY_SECTOR


def _units(sector=ANY, **filters) -> tuple[int, int]:
    rows = MemberUnitTally.objects.filter(sector=sector, **filters)
    return sum(row.units for row in rows), sum(row.support_units for row in rows)


def _board(officer, **filters) -> tuple[int, int]:
    units = Board(officer, DashboardFilters(**filters)).member_units()
    return units["total"].value, units["technical_support_units"].value


def test_a_confirmed_member_counts_and_an_invited_one_does_not(draft, member, sector, officer):
    assert _units() == _units(sector.pk) == (1, 0)  # the chairman unit, confirmed when the draft was created

    services.invite_member(draft, by=member, credit_code=OrganisationFactory().credit_code)
    assert _units() == (1, 0)

    invite_and_confirm(draft, member, kind=Organisation.Kind.UNIVERSITY, role=Membership.Role.TECHNICAL_SUPPORT,
                       is_core=False)
    assert _units() == _units(sector.pk) == (2, 1)
    assert _board(officer) == (2, 1)
    assert tally.differences() == []


def test_a_unit_in_two_alliances_counts_once_in_any_sector_and_once_in_each(draft, member, sector, officer):
    other_sector = SectorFactory(code="tally-bio", name="测试生物医药", name_en="Test biomedicine")
    second = services.create_alliance(by=member, name="淄博市生物医药产业技术创新战略联盟", sector=other_sector)

    assert _units() == (1, 0)
    assert _units(sector.pk) == _units(other_sector.pk) == (1, 0)
    assert _board(officer) == (1, 0)
    assert _board(officer, sector=other_sector) == (1, 0)
    assert second.memberships.get().status == Membership.Status.CONFIRMED


def test_removal_role_and_sector_changes_move_the_counts(draft, member, sector, officer):
    membership, _user = invite_and_confirm(draft, member)
    assert _units() == (2, 0)

    services.update_membership(draft, by=member, membership_id=membership.pk,
                               role=Membership.Role.TECHNICAL_SUPPORT, is_core=False)
    assert _units() == (2, 1)

    other_sector = SectorFactory(code="tally-bio", name="测试生物医药", name_en="Test biomedicine")
    services.update_basic_info(draft, by=member, changes={"sector": other_sector})
    assert _units(sector.pk) == (0, 0)
    assert _units(other_sector.pk) == (2, 1)

    services.remove_member(draft, by=member, membership_id=membership.pk)
    assert _units() == (1, 0)
    assert _board(officer, sector=other_sector) == (1, 0)
    assert tally.differences() == []


def test_a_unit_moving_district_moves_its_count(draft, member, officer):
    home = member.organisation.district
    elsewhere = district("370304") if home.code != "370304" else district("370303")

    account_services.update_organisation_profile(member.organisation, by=member, fields={"district": elsewhere},
                                                 platforms=[])

    assert _units(district=home) == (0, 0)
    assert _units(district=elsewhere) == (1, 0)
    assert _board(officer, district=elsewhere) == (1, 0)
    draft.refresh_from_db()
    assert draft.chairman_district == elsewhere  # the alliance it chairs is listed under its new district
    assert list(Alliance.objects.filter(chairman_district=elsewhere)) == [draft]
    assert tally.differences() == []


def test_an_alliance_keeps_its_chairmans_district_and_the_check_reports_a_stale_one(draft, capsys):
    assert draft.chairman_district_id == draft.chairman.district_id  # kept by Alliance.save on creation
    elsewhere = district("370304") if draft.chairman.district.code != "370304" else district("370303")
    Alliance.objects.filter(pk=draft.pk).update(chairman_district=elsewhere)  # a write around the services

    with pytest.raises(CommandError, match="tally rows differ"):
        call_command("recount_tallies", "--check")
    assert f"alliance {draft.pk}: kept district {elsewhere.pk}" in capsys.readouterr().out

    call_command("recount_tallies")
    draft.refresh_from_db()
    assert draft.chairman_district_id == draft.chairman.district_id
    assert tally.differences() == []


def test_the_check_reports_a_difference_and_the_rebuild_repairs_it(draft, capsys):
    call_command("recount_tallies", "--check")
    assert "member-unit tally: equals what it counts" in capsys.readouterr().out

    MemberUnitTally.objects.update(units=5)  # a write that went around the services
    with pytest.raises(CommandError, match="tally rows differ"):
        call_command("recount_tallies", "--check")

    call_command("recount_tallies")
    assert tally.differences() == []
    assert _units() == (1, 0)
