"""The member-unit tally (``MemberUnitTally``): member units counted per dashboard key (an alliance sector or
any, the unit's district, kind and year of registration).

The services wrap every change to who is a confirmed member (of which sector's alliances, in which role) or
to a unit's district or kind in ``kept``: the keys the units had before and have after the change are
counted again from the memberships, in the same transaction, each key's row locked meanwhile. The
dashboard's member-unit figures read the rows and always equal the unit lists they link to (a unit counted
once in a key however many alliances it belongs to). ``differences`` and ``recount_tallies --check``
compare every row with the memberships.
"""

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, contextmanager

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear

from .models import Alliance, Membership, MemberUnitTally, Organisation, units_district

ANY = MemberUnitTally.ANY_SECTOR
KEY = ("sector", "district", "kind", "year")


def _confirmed(sector: int = ANY, **filters):
    members = Membership.objects.filter(status=Membership.Status.CONFIRMED, **filters)
    return members.filter(alliance__sector_id=sector) if sector != ANY else members


def _figures(sector: int) -> dict:
    """Units (confirmed in an alliance of ``sector``, or in any) and, of them, technical support units of any
    alliance, as aggregates over organisations: the same conditions as the unit list's filters."""
    support = _confirmed(role=Membership.Role.TECHNICAL_SUPPORT).values("organisation_id")
    members = _confirmed(sector).values("organisation_id")
    return {"units": Count("pk", filter=Q(pk__in=members)),
            "support_units": Count("pk", filter=Q(pk__in=members) & Q(pk__in=support))}


def keys_of(organisations) -> set[tuple]:
    """The tally keys of these units as they stand: any sector, and each sector of their alliances."""
    found = {pk: (district, kind, year) for pk, district, kind, year in organisations.order_by()
             .annotate(registered=ExtractYear("created_at")).values_list("pk", "district_id", "kind", "registered")}
    keys = {(ANY, *key) for key in found.values()}
    sectors = (_confirmed(organisation__in=list(found)).order_by()
               .values_list("organisation_id", "alliance__sector_id").distinct())
    keys |= {(sector, *found[organisation]) for organisation, sector in sectors}
    return keys


def recount(*, keys: Iterable[tuple]) -> None:
    """Count these keys' rows again (precondition: the caller's changes are saved; effect: the rows equal the
    memberships, in the caller's transaction). A key without units loses its row."""
    keys = sorted(set(keys))
    if not keys:
        return
    with transaction.atomic():
        MemberUnitTally.objects.bulk_create(
            [MemberUnitTally(sector=sector, district_id=district, kind=kind, year=year)
             for sector, district, kind, year in keys], ignore_conflicts=True)
        matching = Q()
        for sector, district, kind, year in keys:
            matching |= Q(sector=sector, district_id=district, kind=kind, year=year)
        # Locked in key order: a second transaction recounting one of these keys waits, then counts what this
        # one committed.
        rows = list(MemberUnitTally.objects.select_for_update().filter(matching).order_by(*KEY))
        emptied = []
        for row in rows:
            figures = Organisation.objects.filter(district_id=row.district_id, kind=row.kind,
                                                  created_at__year=row.year).aggregate(**_figures(row.sector))
            if not figures["units"]:
                emptied.append(row.pk)
            row.units, row.support_units = figures["units"], figures["support_units"]
        MemberUnitTally.objects.bulk_update([row for row in rows if row.pk not in emptied], ["units", "support_units"])
        MemberUnitTally.objects.filter(pk__in=emptied).delete()


@contextmanager
def kept(organisations):
    """Around a change to these units' memberships, district or kind (``organisations``, a queryset): the keys
    they had before and have after it are counted again when the block ends."""
    ids = list(organisations.values_list("pk", flat=True))
    before = keys_of(Organisation.objects.filter(pk__in=ids))
    yield
    recount(keys=before | keys_of(Organisation.objects.filter(pk__in=ids)))


# Other tallies that count by member units' district or kind (projects': by the lead unit's district),
# registered by their app in its AppConfig.ready: kept in step around every change to member units.
_kept_with_organisations: list[Callable[[object], AbstractContextManager]] = []


def keep_with_organisations(keeper: Callable[[object], AbstractContextManager]) -> None:
    """Register ``keeper(organisations)``, a context manager keeping another tally around their change."""
    if keeper not in _kept_with_organisations:
        _kept_with_organisations.append(keeper)


@contextmanager
def organisations_kept(organisations):
    """Around a change to ``organisations`` (a queryset): the alliances they chair take their district again
    (``Alliance.chairman_district``), and this tally and every registered one are counted again when the block
    ends, inside the caller's transaction."""
    ids = list(organisations.values_list("pk", flat=True))
    with ExitStack() as stack:
        stack.enter_context(kept(organisations))
        for keeper in _kept_with_organisations:
            stack.enter_context(keeper(organisations))
        yield
        chairs_kept(Alliance.objects.filter(chairman__in=ids))


def chairs_kept(alliances) -> int:
    """``alliances`` (a queryset) take their chairman unit's district again; returns how many rows changed."""
    return alliances.exclude(chairman_district=F("chairman__district")).update(
        chairman_district=units_district("chairman"))


def counted() -> list[dict]:
    """Every row, computed from the memberships: one query for any sector, one for all sectors at once."""
    rows = [{"sector": ANY, **row} for row in Organisation.objects.order_by()
            .values("district", "kind", year=ExtractYear("created_at")).annotate(**_figures(ANY))
            if row["units"]]
    support = _confirmed(role=Membership.Role.TECHNICAL_SUPPORT).values("organisation_id")
    rows += list(_confirmed().order_by().values(
        sector=F("alliance__sector_id"), district=F("organisation__district_id"), kind=F("organisation__kind"),
        year=ExtractYear("organisation__created_at"),
    ).annotate(units=Count("organisation", distinct=True),
               support_units=Count("organisation", distinct=True, filter=Q(organisation_id__in=support))))
    return rows


def rebuild() -> int:
    """Count every row again (after a load that went around the services), the alliances' kept chairman
    districts first; returns the number of rows."""
    with transaction.atomic():
        chairs_kept(Alliance.objects.all())
        MemberUnitTally.objects.all().delete()
        MemberUnitTally.objects.bulk_create(
            MemberUnitTally(sector=row["sector"], district_id=row["district"], kind=row["kind"], year=row["year"],
                            units=row["units"], support_units=row["support_units"]) for row in counted())
    return MemberUnitTally.objects.count()


def differences() -> list[str]:
    """Every tally row that differs from the memberships, missing or left over, described; empty when exact."""
    def keyed(rows):
        return {tuple(row[name] for name in KEY): (row["units"], row["support_units"]) for row in rows}

    stale = [f"alliance {pk}: kept district {kept_district}, its chairman unit is in district {district}"
             for pk, kept_district, district in Alliance.objects.exclude(chairman_district=F("chairman__district"))
             .values_list("pk", "chairman_district", "chairman__district").order_by("pk")]
    kept_rows = keyed(MemberUnitTally.objects.values(*KEY, "units", "support_units"))
    actual = keyed(counted())
    return stale + [
        f"{dict(zip(KEY, key, strict=True))}: kept {kept_rows.get(key)}, memberships give {actual.get(key)}"
        for key in sorted(kept_rows.keys() | actual.keys(), key=str) if kept_rows.get(key) != actual.get(key)]
