"""Helpers shared by the alliance pages."""

from django.shortcuts import get_object_or_404

from ..models import Alliance


def visible_alliance(user, pk) -> Alliance:
    """The alliance if the user may see it; anyone else's is a 404, never a 403 that confirms it exists."""
    queryset = Alliance.objects.visible_to(user).select_related("sector", "chairman", "chairman__district")
    return get_object_or_404(queryset, pk=pk)
