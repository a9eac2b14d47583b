"""Read side of site visits: the current visit of an application, the team's candidates with their conflicts
of interest, and what the workflow guards need to know."""

from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from alliances.models import Membership
from alliances.workflow import State
from reviews.models import ExpertProfile
from reviews.services import conflicts_of_interest

from .models import SiteVisit, SiteVisitCheck


def with_details(queryset):
    """Visits with who scheduled and concluded them, the team, the checks and the attachments (4 queries)."""
    return (queryset.select_related("scheduled_by", "concluded_by")
            .prefetch_related(Prefetch("team", queryset=User.objects.order_by("full_name", "pk")),
                              Prefetch("checks", queryset=SiteVisitCheck.objects.order_by("pk")), "attachments"))


def current_visit(alliance) -> SiteVisit | None:
    """The site visit of the application's current version, with its details."""
    return with_details(SiteVisit.objects.filter(alliance=alliance, version=alliance.current_version)).first()


def latest_visit(alliance) -> SiteVisit | None:
    """The newest site visit of any version (what the joint review and the officer read)."""
    return with_details(SiteVisit.objects.filter(alliance=alliance).order_by("-version", "-pk")).first()


def scheduling_problem(alliance) -> str | None:
    """The guard of "start_site_visit": a visit must be scheduled for the current version (``schedule_visit``
    creates it in the same transaction), so no other path starts the stage without date, place and team."""
    if SiteVisit.objects.filter(alliance=alliance, version=alliance.current_version).exists():
        return None
    return _("Schedule the site visit with its date, place and team on the site-visit page.")


def findings_problem(alliance) -> str | None:
    """The guard of "send_to_joint_review" from the site-visit stage: the findings must be recorded."""
    if alliance.state != State.SITE_VISIT:
        return None
    if SiteVisit.objects.filter(alliance=alliance, version=alliance.current_version,
                                status=SiteVisit.Status.CONCLUDED).exists():
        return None
    return _("Record the findings of the site visit before sending the application to joint review.")


def _member_units(alliance) -> dict[int, str]:
    units = dict(Membership.objects.filter(alliance=alliance).exclude(status=Membership.Status.DECLINED)
                 .values_list("organisation_id", "organisation__name"))
    if alliance.chairman_id not in units:
        units[alliance.chairman_id] = alliance.chairman.name
    return units


def team_conflicts(users, alliance) -> dict[int, str]:
    """Why each conflicted user may not visit ``alliance``, keyed by user id (a bounded number of queries).

    Experts get the same refusals as for scoring (``reviews.services.conflicts_of_interest``); anyone whose
    organisation is a member unit of the alliance is refused too (an officer seconded from a member, say).
    """
    users = list(users)
    if not users:
        return {}
    profiles = {p.user_id: p for p in ExpertProfile.objects.filter(user__in=users).select_related("user")}
    by_profile = conflicts_of_interest(profiles.values(), alliance)
    reasons = {user_id: by_profile[p.pk] for user_id, p in profiles.items() if p.pk in by_profile}
    units = _member_units(alliance)
    for user in users:
        if user.pk not in reasons and user.organisation_id in units:
            reasons[user.pk] = _("The organisation of %(person)s, “%(organisation)s”, is a member unit of this "
                                 "alliance.") % {"person": user, "organisation": units[user.organisation_id]}
    return reasons


@dataclass(frozen=True)
class Candidate:
    user: User
    role: str  # "officer" or "expert"
    detail: str
    conflict: str | None


def team_candidates(alliance) -> list[Candidate]:
    """Active officers, then active experts of the pool, each with the reason they may not go, if any."""
    officers = list(User.objects.filter(groups__name=Role.OFFICER.value, is_active=True)
                    .select_related("organisation").order_by("full_name", "pk").distinct())
    profiles = list(ExpertProfile.objects.filter(is_active=True, user__is_active=True)
                    .select_related("user__organisation", "affiliation").order_by("user__full_name", "pk"))
    experts = [p.user for p in profiles]
    conflicts = team_conflicts(officers + experts, alliance)
    officer_ids = {u.pk for u in officers}
    return (
        [Candidate(u, "officer", str(u.organisation or ""), conflicts.get(u.pk)) for u in officers]
        + [Candidate(p.user, "expert", " · ".join(filter(None, [p.title, p.affiliation_display])),
                     conflicts.get(p.user_id)) for p in profiles if p.user_id not in officer_ids]
    )


def visits_to_record(today):
    """Scheduled visits whose day has come and whose application is still in the site-visit stage."""
    return SiteVisit.objects.filter(status=SiteVisit.Status.SCHEDULED, scheduled_on__lte=today,
                                    alliance__state=State.SITE_VISIT, version=F("alliance__current_version"))


def visit_url(visit) -> str:
    return reverse("site_visits:visit", args=[visit.pk])
