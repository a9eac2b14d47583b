"""manage.py generate_scale_data: bulk volume with valid, unique credit codes, in batches."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from alliances import credit_code
from alliances.models import Alliance, Membership, Organisation, PlannedInvestment, WorkPlan, YearlyTarget
from demo import codes

pytestmark = pytest.mark.django_db


def _generate(*args) -> str:
    out = StringIO()
    call_command("generate_scale_data", *args, stdout=out)
    return out.getvalue()


def test_generate_scale_data_small_run_creates_every_table():
    output = _generate("--alliances", "12", "--units", "300", "--batch", "70")

    assert Organisation.objects.count() == 300
    assert Alliance.objects.count() == 12
    assert WorkPlan.objects.count() == 12
    assert YearlyTarget.objects.count() == 12 * 9
    assert PlannedInvestment.objects.count() == 12 * 6
    per_alliance = Membership.objects.values("alliance").annotate(n=Count("pk")).values_list("n", flat=True)
    assert sorted(set(per_alliance)) == [25]
    # the chairman is a confirmed member of its own alliance
    for alliance in Alliance.objects.all():
        assert Membership.objects.filter(alliance=alliance, organisation=alliance.chairman_id,
                                         role=Membership.Role.CHAIRMAN).exists()
    for table in ["organisations", "alliances", "memberships", "work plans", "yearly targets", "planned investments",
                  "total"]:
        assert table in output
    assert "rows/s" in output


def test_generate_scale_data_codes_are_valid_and_unique_across_runs():
    _generate("--alliances", "2", "--units", "120", "--batch", "50")
    _generate("--alliances", "2", "--units", "120", "--batch", "50")

    codes_ = list(Organisation.objects.values_list("credit_code", flat=True))
    assert len(codes_) == 240
    assert len(set(codes_)) == 240
    assert all(credit_code.is_valid(code) for code in codes_)
    assert not any(code[2:6] == "3703" for code in codes_)  # never in the Zibo demo's divisions


@pytest.mark.parametrize("args", [["--units", "0"], ["--batch", "0"], ["--units", "10", "--members", "25"]])
def test_generate_scale_data_rejects_nonsense_sizes(args):
    with pytest.raises(CommandError):
        _generate("--alliances", "1", *args)

    assert not Organisation.objects.exists()


def test_codes_distinct_serials_give_distinct_valid_codes():
    made = [codes.make(codes.ENTERPRISE, "370303", serial) for serial in range(20_000)]

    assert len(set(made)) == len(made)
    assert all(credit_code.is_valid(code) for code in made[::97])
    assert {code[:8] for code in made} == {"91370303"}


def test_codes_organisation_code_check_matches_gb11714_example():
    # GB 11714 worked example: organisation code D2143569 has check character X
    assert codes.organisation_code_check("D2143569") == "X"
