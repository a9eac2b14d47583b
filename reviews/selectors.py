"""Read-side queries of the review workflow."""

from accounts.models import User
from accounts.roles import Role


def bureau_officers():
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True)


def applicant_users(alliance):
    return User.objects.filter(organisation_id=alliance.chairman_id, is_active=True)


def timeline(alliance):
    """Every transition of the alliance in order, with the actor, in one query."""
    return alliance.transitions.select_related("actor").order_by("at", "pk")
