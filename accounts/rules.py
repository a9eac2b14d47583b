"""Role predicates shared by every app (views, templates, DRF and querysets)."""

import rules

from .roles import Role


def _has(role):
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_member_user = _has(Role.MEMBER)
is_bureau_officer = _has(Role.OFFICER) | _has(Role.ADMIN)
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
