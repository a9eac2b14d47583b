"""Helpers shared by the review pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404

from alliance_portal.core.errors import WorkflowError
from alliances.models import Alliance


def visible_alliance(user, pk) -> Alliance:
    """The alliance if the user may see it; anyone else's is a 404."""
    queryset = Alliance.objects.visible_to(user).select_related("sector", "chairman")
    return get_object_or_404(queryset, pk=pk)


def run(request, call, *, success=None, already=None):
    """Run a service call; a refusal becomes an error message, a repeated click an information message."""
    try:
        result = call()
    except WorkflowError as refusal:
        messages.error(request, refusal.message)
        return False, None
    if result is None and already:
        messages.info(request, already)
    elif success:
        messages.success(request, success)
    return True, result
