"""To-do items of accounts for the home page (registered in AccountsConfig.ready, see
``alliance_portal.core.todo``): registrations awaiting the bureau; a member's own registration."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance_portal.core.todo import TodoItem
from alliances.models import Organisation

from . import rules, selectors


def items(user) -> list[TodoItem]:
    """Accounts' own items: registrations awaiting the bureau; the state of a member's own registration."""


    found = []
    if rules.is_bureau_officer(user):
        count = selectors.pending_organisation_count()
        found.append(TodoItem(
            label=ngettext("member unit awaiting verification", "member units awaiting verification", count),
            count=count,
            url=reverse("organisation_list") + "?" + urlencode({"verification": Organisation.Verification.PENDING}),
            colour="warning", icon="building-check",
        ))
    if user.organisation_id and rules.is_member_user(user):
        organisation = user.organisation
        if organisation.verification == Organisation.Verification.PENDING:
            found.append(TodoItem(
                label=_("Your organisation awaits verification by the science bureau. You can prepare drafts "
                        "now; submitting is possible once it is verified."),
                count=None, url=reverse("organisation_profile"), colour="info", icon="hourglass-split",
            ))
        elif organisation.verification == Organisation.Verification.REJECTED:
            found.append(TodoItem(
                label=_("The bureau rejected your organisation's registration: %(reason)s")
                % {"reason": organisation.verification_note},
                count=None, url=reverse("organisation_profile"), colour="danger", icon="exclamation-octagon",
            ))
    return found
