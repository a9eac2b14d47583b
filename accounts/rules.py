"""The one permission vocabulary: role predicates shared by every app (views, templates, DRF, querysets and
the services), and ``require``, the services' check of the same ``rules`` permissions.

The portal acting on its own (a Celery sweep, the workbook import, a data migration) passes ``by=SYSTEM``;
each service says whether the system may do what it does (``require(..., system_may=True)``).
"""

import rules
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.errors import NotPermitted

from .roles import Role

SYSTEM = None  # ``by=SYSTEM``: no person acts, the portal does (sweeps, imports, data migrations)

OFFICERS_ONLY = _("Only bureau officers may do this.")


def require(by, perm: str, obj=None, *, message=OFFICERS_ONLY, system_may: bool) -> None:
    """Raise ``NotPermitted(message)`` unless ``by`` holds the ``rules`` permission ``perm`` (on ``obj``), the
    one the pages and the API check too, or ``by`` is the ``SYSTEM`` and the service lets it act
    (``system_may``)."""
    allowed = system_may if by is SYSTEM else rules.has_perm(perm, by, obj)
    if not allowed:
        raise NotPermitted(str(message))


def _has(role):
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_member_user = _has(Role.MEMBER)
is_officer = _has(Role.OFFICER)  # the bureau's officers proper, without administrators
is_bureau_officer = is_officer | _has(Role.ADMIN)
is_expert = _has(Role.EXPERT)
is_department_reviewer = _has(Role.DEPARTMENT_REVIEWER)
is_district_reviewer = _has(Role.DISTRICT_REVIEWER)
is_liaison_officer = _has(Role.LIAISON)
is_administrator = _has(Role.ADMIN)


@rules.predicate
def is_org_admin(user):
    return bool(user and user.is_authenticated and user.is_org_admin and user.organisation_id)


rules.add_perm("accounts.verify_organisation", is_bureau_officer)
rules.add_perm("accounts.add_colleague", is_org_admin)
rules.add_perm("accounts.view_audit", is_administrator | is_bureau_officer)
