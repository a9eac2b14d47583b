"""To-do entries of the alliances app for the home page: each a count and a link to the filtered list."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from accounts.roles import Role
from alliance_portal.core.todo import TodoItem
from alliances.workflow import State

from .models import Alliance, Membership


def items(user) -> list[TodoItem]:
    """Pending invitations for the user's organisation, drafts to finish, returned applications to revise.
    Two queries."""
    if not (user.is_authenticated and user.organisation_id and user.has_role(Role.MEMBER)):
        return []
    invitations = Membership.objects.filter(organisation_id=user.organisation_id,
                                            status=Membership.Status.INVITED).count()
    own = Alliance.objects.filter(chairman_id=user.organisation_id).aggregate(
        drafts=Count("pk", filter=Q(state=State.DRAFT)), returned=Count("pk", filter=Q(state=State.RETURNED)))
    list_url = reverse("alliances:list")
    return [
        TodoItem(
            label=ngettext("invitation to join an alliance awaits your answer",
                           "invitations to join an alliance await your answer", invitations),
            count=invitations, url=reverse("alliances:invitations"), colour="warning", icon="envelope-open",
        ),
        TodoItem(
            label=ngettext("application was returned for revision", "applications were returned for revision",
                           own["returned"]),
            count=own["returned"], url=f"{list_url}?{urlencode({'state': State.RETURNED.value})}", colour="danger",
            icon="arrow-counterclockwise",
        ),
        TodoItem(
            label=ngettext("draft application to finish and submit", "draft applications to finish and submit",
                           own["drafts"]),
            count=own["drafts"], url=f"{list_url}?{urlencode({'state': State.DRAFT.value})}", colour="primary",
            icon="pencil-square",
        ),
    ]
