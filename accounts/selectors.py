"""Read-side queries of accounts and member units, used by views, services and the to-do list."""

from django.db.models import Count, Q, QuerySet

from alliances.models import Organisation, RDPlatform

from .models import AuditEvent, User
from .roles import Role

# Columns the bureau's organisation list may be sorted by: public name → ORDER BY field.
ORGANISATION_SORTS = {
    "name": "name",
    "credit_code": "credit_code",
    "kind": "kind",
    "district": "district__code",
    "created_at": "created_at",
    "verification": "verification",
}


def bureau_officers() -> QuerySet[User]:
    """Active bureau officers (administrators are not emailed about routine sign-ups)."""
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True).distinct()


def organisation_users(organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation, is_active=True)


def colleagues_of(user) -> QuerySet[User]:
    """Everyone of the user's organisation, active first, then by name; empty without an organisation."""
    if not user.organisation_id:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id).order_by("-is_active", "-is_org_admin",
                                                                                "full_name", "username")


def organisations_for_bureau(*, sort: str = "") -> QuerySet[Organisation]:
    """Every organisation with what the bureau's list shows, in a fixed number of queries."""
    descending = sort.startswith("-")
    field = ORGANISATION_SORTS.get(sort.lstrip("-"), "created_at")
    order = ("-" if descending else "") + field  # default: the longest-waiting first
    return (
        Organisation.objects.select_related("district")
        .annotate(platform_count=Count("platforms", distinct=True),
                  user_count=Count("users", filter=Q(users__is_active=True), distinct=True))
        .order_by(order, "pk")
    )


def pending_organisation_count() -> int:
    return Organisation.objects.filter(verification=Organisation.Verification.PENDING).count()


def organisation_detail(pk) -> Organisation:
    return Organisation.objects.select_related("district", "verified_by").prefetch_related(
        "platforms", "users"
    ).get(pk=pk)


def platforms_of(organisation) -> QuerySet[RDPlatform]:
    return organisation.platforms.order_by("level", "kind", "pk")


def organisation_timeline(organisation) -> QuerySet[AuditEvent]:
    """What happened to the organisation (registration, verification, profile changes), oldest first."""
    return AuditEvent.objects.filter(
        object_type=organisation._meta.label_lower, object_id=str(organisation.pk)
    ).select_related("user").order_by("at", "pk")
