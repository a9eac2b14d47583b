"""Read-side queries of the alliances app, used by views, the API and tasks. Bounded query counts."""

import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from alliances.workflow import DESIGNATED, State

from .models import Alliance, GovernanceMember, Membership, PlannedInvestment

NAME_SIMILARITY = 0.8
MEMBER_OVERLAP = 0.5
# Words every alliance name carries; they would make any two names look alike.
NAME_SUFFIXES = sorted(
    ["产业技术创新战略联盟", "技术创新战略联盟", "创新战略联盟", "战略联盟", "产业创新联盟", "创新联盟", "产业联盟",
     "技术联盟", "联盟"],
    key=len, reverse=True,
)
PROVINCE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}省")
NOT_WORD = re.compile(r"[\W_]+")
# Drafts are unfinished and closed applications are gone: neither is an "existing alliance".
NOT_EXISTING = (State.DRAFT, State.WITHDRAWN, State.REJECTED)


def confirmed_member_count():
    """A subquery annotation: confirmed member units (a join would be multiplied by ``visible_to``)."""
    return Coalesce(
        Subquery(
            Membership.objects.filter(alliance=OuterRef("pk"), status=Membership.Status.CONFIRMED)
            .order_by().values("alliance").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def alliance_rows(user):
    """The alliances the user may see, with the member count as an alias (the list sorts by it): the lean
    rows the list page is filtered, sorted and paged on (``alliance_portal.core.pagination``)."""
    return Alliance.objects.visible_to(user).alias(confirmed_members=confirmed_member_count())


def with_list_columns(queryset):
    """What the list page shows of each alliance: sector, chairman unit, its district, the member count."""
    return queryset.select_related("sector", "chairman", "chairman__district").annotate(
        confirmed_members=confirmed_member_count())


def alliance_list(user):
    """The alliances the user may see, with what the list shows, in one query."""
    return with_list_columns(Alliance.objects.visible_to(user))


def pending_invitations(user):
    """Unanswered invitations addressed to the user's organisation."""
    if not user.is_authenticated or not user.organisation_id:
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation_id=user.organisation_id, status=Membership.Status.INVITED)
        .select_related("alliance", "alliance__sector", "alliance__chairman", "invited_by")
        .order_by("-invited_at")
    )


def answered_invitations(user, limit=20):
    if not user.is_authenticated or not user.organisation_id:
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation_id=user.organisation_id)
        .exclude(status=Membership.Status.INVITED).exclude(role=Membership.Role.CHAIRMAN)
        .select_related("alliance", "alliance__chairman", "responded_by")
        .order_by("-responded_at", "-pk")[:limit]
    )


def memberships(alliance):
    """Member units in the order the application lists them (chairman first), with R&D platform counts."""
    role_order = [value for value, _label in Membership.Role.choices]
    memberships = (
        Membership.objects.filter(alliance=alliance)
        .select_related("organisation", "organisation__district")
        .annotate(platform_count=Count("organisation__platforms"))
    )
    return sorted(memberships, key=lambda m: (role_order.index(m.role), m.organisation.name))


def governance(alliance):
    members = list(GovernanceMember.objects.filter(alliance=alliance).order_by("body", "pk"))
    return {
        "council": [m for m in members if m.body == GovernanceMember.Body.COUNCIL],
        "expert_committee": [m for m in members if m.body == GovernanceMember.Body.EXPERT_COMMITTEE],
    }


@dataclass
class InvestmentTable:
    """Planned R&D investment as a year × source table with yearly totals (万元)."""

    sources: list  # [(value, label)]
    rows: list  # [{"year": 2027, "amounts": [Decimal | None per source], "total": Decimal}]
    total: object


def investment_table(work_plan) -> InvestmentTable:
    sources = list(PlannedInvestment.Source.choices)
    if work_plan is None:
        return InvestmentTable(sources, [], 0)
    cells = {(i.year, i.source): i.amount for i in work_plan.investments.all()}
    totals = (
        PlannedInvestment.objects.filter(work_plan=work_plan).values("year").annotate(total=Sum("amount"))
        .order_by("year")
    )
    rows = [
        {"year": row["year"], "total": row["total"],
         "amounts": [cells.get((row["year"], value)) for value, _label in sources]}
        for row in totals
    ]
    grand_total = sum((row["total"] for row in rows), start=0)
    return InvestmentTable(sources, rows, grand_total)


# --- duplicates ---------------------------------------------------------------------------------

def normalise_name(name: str) -> str:
    """The distinctive part of an alliance name: no province or city prefix, no common suffix."""
    text = NOT_WORD.sub("", name or "")
    text = PROVINCE_PREFIX.sub("", text)
    city = settings.PORTAL.get("CITY_NAME", "")
    for prefix in (city, city.removesuffix("市")):
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
            break
    for suffix in NAME_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text.lower()


def name_similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, normalise_name(first), normalise_name(second)).ratio()


@dataclass
class PossibleDuplicate:
    alliance: Alliance
    name_similarity: float | None  # set when the sector is the same and the names are alike
    shared_members: int  # confirmed member units both alliances have
    member_count: int  # confirmed member units of the application being checked
    same_chairman: bool = False  # the same chairman unit leads both

    @property
    def overlap(self) -> float:
        return self.shared_members / self.member_count if self.member_count else 0.0


def possible_duplicates(alliance: Alliance, *, designated_only: bool = False) -> list[PossibleDuplicate]:
    """Existing alliances that look like ``alliance`` (重复建设): same sector and a similar name, at least half
    of its confirmed member units in common, or the same chairman unit in the same sector. Four queries
    whatever the number of alliances."""
    existing = Alliance.objects.exclude(pk=alliance.pk).exclude(state__in=NOT_EXISTING)
    if designated_only:  # what an applicant may be told: designated alliances are public, applications are not
        existing = existing.filter(state__in=DESIGNATED)

    similar, same_chairman = {}, set()
    for pk, name, chairman_id in existing.filter(sector_id=alliance.sector_id).values_list("pk", "name", "chairman_id"):
        ratio = name_similarity(alliance.name, name)
        if ratio >= NAME_SIMILARITY:
            similar[pk] = ratio
        if chairman_id == alliance.chairman_id:
            same_chairman.add(pk)

    mine = set(
        Membership.objects.filter(alliance=alliance, status=Membership.Status.CONFIRMED)
        .values_list("organisation_id", flat=True)
    )
    shared = {}
    if mine:
        rows = (
            Membership.objects.filter(status=Membership.Status.CONFIRMED, organisation_id__in=mine,
                                      alliance__in=existing)
            .values("alliance_id").annotate(shared=Count("pk")).order_by()
        )
        shared = {row["alliance_id"]: row["shared"] for row in rows}
    overlapping = {pk for pk, count in shared.items() if count >= 2 and count / len(mine) >= MEMBER_OVERLAP}

    ids = set(similar) | overlapping | same_chairman
    if not ids:
        return []
    found = existing.filter(pk__in=ids).select_related("sector", "chairman").order_by("name")
    duplicates = [
        PossibleDuplicate(alliance=other, name_similarity=similar.get(other.pk),
                          shared_members=shared.get(other.pk, 0), member_count=len(mine),
                          same_chairman=other.pk in same_chairman)
        for other in found
    ]
    return sorted(duplicates, key=lambda d: (-(d.name_similarity or 0), -d.overlap))


def timeline(alliance):
    """Every transition of the application in order, with the actor, in one query."""
    return alliance.transitions.select_related("actor").order_by("at", "pk")
