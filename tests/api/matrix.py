"""The permission matrix: every API endpoint × every role, with the status each must get.

Each endpoint names the router's URL name so that ``test_permission_matrix`` can prove the table
covers every route. Roles are the portal's roles plus the edge cases of access: anonymous, a member
unit of another organisation, a read-only token, a token without a scope row and an expired token.
"""

from dataclasses import dataclass, field

ROLES = (
    "anonymous", "member", "foreign_member", "officer", "administrator", "department_reviewer", "liaison",
    "expert", "read_only_token", "unscoped_token", "write_token", "expired_token",
)
BUREAU_SIDE = ("officer", "administrator", "department_reviewer", "liaison", "read_only_token", "unscoped_token",
               "write_token")
DENIED_ANONYMOUS = {"anonymous": 401, "expired_token": 401}


@dataclass(frozen=True)
class Endpoint:
    route: str  # the router's URL name
    method: str
    path: object  # callable(world) -> str
    expected: dict = field(default_factory=dict)  # role -> status; missing roles use ``default``
    default: int = 200
    body: dict | None = None

    def status_for(self, role: str) -> int:
        return {**self.expected, **DENIED_ANONYMOUS}.get(role, self.default)


def _all(status):
    return dict.fromkeys(ROLES, status)


OWN_ALLIANCE = {"foreign_member": 404, "expert": 404}
FOREIGN_ALLIANCE = {"member": 404, "expert": 404}
ONLY_OWNER = {role: 404 for role in ROLES if role not in ("member",)}
UNSAFE_BY_TOKEN = {"read_only_token": 403, "unscoped_token": 403}

ENDPOINTS = [
    Endpoint("api-root", "get", lambda w: "/api/v1/"),
    Endpoint("me-list", "get", lambda w: "/api/v1/me/"),
    Endpoint("sector-list", "get", lambda w: "/api/v1/sectors/"),
    Endpoint("sector-detail", "get", lambda w: f"/api/v1/sectors/{w['alliance_a'].sector_id}/"),
    Endpoint("district-list", "get", lambda w: "/api/v1/districts/"),
    Endpoint("district-detail", "get", lambda w: f"/api/v1/districts/{w['outsider_org'].district_id}/"),
    Endpoint("organisation-list", "get", lambda w: "/api/v1/organisations/"),
    Endpoint("organisation-detail", "get", lambda w: f"/api/v1/organisations/{w['member'].organisation_id}/",
             expected={"foreign_member": 404, "expert": 404}),
    Endpoint("organisation-detail", "get", lambda w: f"/api/v1/organisations/{w['outsider_org'].pk}/",
             expected={"member": 404, "foreign_member": 404, "expert": 404}),
    Endpoint("alliance-list", "get", lambda w: "/api/v1/alliances/"),
    Endpoint("alliance-detail", "get", lambda w: f"/api/v1/alliances/{w['alliance_a'].pk}/", expected=OWN_ALLIANCE),
    Endpoint("alliance-detail", "get", lambda w: f"/api/v1/alliances/{w['alliance_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("alliance-timeline", "get", lambda w: f"/api/v1/alliances/{w['alliance_a'].pk}/timeline/",
             expected=OWN_ALLIANCE),
    Endpoint("alliance-timeline", "get", lambda w: f"/api/v1/alliances/{w['alliance_b'].pk}/timeline/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("membership-list", "get", lambda w: "/api/v1/memberships/"),
    Endpoint("membership-detail", "get", lambda w: f"/api/v1/memberships/{w['colleague_membership'].pk}/",
             expected=OWN_ALLIANCE),
    Endpoint("membership-detail", "get", lambda w: f"/api/v1/memberships/{w['membership_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("application-list", "get", lambda w: "/api/v1/applications/"),
    Endpoint("application-detail", "get", lambda w: f"/api/v1/applications/{w['version_a'].pk}/",
             expected=OWN_ALLIANCE),
    Endpoint("application-detail", "get", lambda w: f"/api/v1/applications/{w['version_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("notification-list", "get", lambda w: "/api/v1/notifications/"),
    Endpoint("notification-detail", "get", lambda w: f"/api/v1/notifications/{w['notification'].pk}/",
             expected=ONLY_OWNER),
    Endpoint("notification-mark-read", "post", lambda w: f"/api/v1/notifications/{w['notification'].pk}/mark-read/",
             expected={**ONLY_OWNER, **UNSAFE_BY_TOKEN}),
    Endpoint("notification-mark-all-read", "post", lambda w: "/api/v1/notifications/mark-all-read/",
             expected=UNSAFE_BY_TOKEN),
]
