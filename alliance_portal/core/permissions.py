"""The API's permission vocabulary is the pages' one: viewset actions map to ``rules`` permission names.

Its own module because DRF reads the permission classes from the settings while importing its views:
this module must import nothing that imports them.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

SERVICE_CHECKS = "service"
"""Permission-map value for workflow actions: the service checks role, object and state itself and
raises ``NotPermitted`` (403) or ``IllegalTransition`` (409) with the reason."""

QUERYSET = "queryset"
"""Permission-map value for reads whose queryset already holds only what the user may see."""


class RulesPermission(permissions.BasePermission):
    """Maps the viewset's actions to ``rules`` permission names: ``view.permission_map = {action: perm}``.

    In ``DEFAULT_PERMISSION_CLASSES`` after ``IsAuthenticated`` and the token-scope check, so every
    viewset gets all three by declaring only its ``permission_map``.

    Collection actions (list, create, and ``detail=False`` extra actions) check the permission
    without an object; detail actions check it on the object. An action missing from the map is
    refused: nothing is reachable by accident.
    """

    message = _("You do not have permission to perform this action.")

    def _permission_for(self, view):
        mapping = getattr(view, "permission_map", {})
        return mapping.get(getattr(view, "action", None), False)

    def has_permission(self, request, view):
        if not hasattr(view, "action"):
            return True  # plain views (API root, schema) declare their own permission classes
        if view.action is None:
            return True  # no handler for this method: DRF answers 405 next
        perm = self._permission_for(view)
        if perm is False:
            return False
        if perm in (SERVICE_CHECKS, QUERYSET) or getattr(view, "detail", False):
            return True
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._permission_for(view)
        if perm in (SERVICE_CHECKS, QUERYSET):
            return True
        if perm is False:
            return False
        return request.user.has_perm(perm, obj)
