"""Invitations addressed to the user's organisation: it confirms or declines from its own account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.core.errors import WorkflowError

from .. import selectors, services
from ..models import Membership


@login_required
def invitations(request):
    return render(request, "alliances/invitations.html", {
        "pending": selectors.pending_invitations(request.user),
        "answered": selectors.answered_invitations(request.user),
    })


@login_required
@require_POST
def respond(request, membership_pk):
    # Only invitations addressed to the user's own organisation exist for them: others are a 404.
    membership = get_object_or_404(
        Membership.objects.select_related("alliance").filter(organisation_id=request.user.organisation_id or -1),
        pk=membership_pk,
    )
    answer = request.POST.get("answer")
    if answer not in ("confirm", "decline"):
        messages.error(request, _("Please choose to confirm or to decline."))
        return redirect("alliances:invitations")
    try:
        services.respond_to_invitation(membership, by=request.user, accept=answer == "confirm")
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("alliances:invitations")
    if answer == "confirm":
        messages.success(request, _("Your organisation is now a confirmed member unit of “%(alliance)s”.")
                         % {"alliance": membership.alliance.name})
        return redirect("alliances:detail", membership.alliance_id)
    messages.info(request, _("You declined to join “%(alliance)s”.") % {"alliance": membership.alliance.name})
    return redirect("alliances:invitations")
