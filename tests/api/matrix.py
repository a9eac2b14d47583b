"""The permission matrix: every API endpoint × every role, with the status each must get.

Each endpoint names the router's URL name so that ``test_permission_matrix`` can prove the table
covers every route. Roles are the portal's roles plus the edge cases of access: anonymous, a member
unit of another organisation, a read-only token, a token without a scope row and an expired token.
"""

from dataclasses import dataclass, field

from tests.factories import health_payload

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
    body: object = None  # dict, or callable(world) -> dict

    def status_for(self, role: str) -> int:
        if self.route.startswith("register-"):  # the public register: open to anonymous visitors
            return {**DENIED_ANONYMOUS, **self.expected}.get(role, self.default)
        return {**self.expected, **DENIED_ANONYMOUS}.get(role, self.default)

    def body_for(self, world) -> dict:
        return self.body(world) if callable(self.body) else (self.body or {})


def _all(status):
    return dict.fromkeys(ROLES, status)


OWN_ALLIANCE = {"foreign_member": 404, "expert": 404}
FOREIGN_ALLIANCE = {"member": 404, "expert": 404}
ONLY_OWNER = {role: 404 for role in ROLES if role not in ("member",)}
UNSAFE_BY_TOKEN = {"read_only_token": 403, "unscoped_token": 403}
OFFICERS_ONLY = dict.fromkeys(("member", "foreign_member", "department_reviewer", "liaison", "expert"), 403)
# Alliance A is "submitted"; the services refuse other roles (403) and impossible steps (409).
OFFICER_SERVICE_ON_A = {**UNSAFE_BY_TOKEN, "member": 403, "foreign_member": 404, "department_reviewer": 403,
                        "liaison": 403, "expert": 404}
BUREAU_DECIDES = {**UNSAFE_BY_TOKEN, **OFFICERS_ONLY}
# Alliance B is a pilot unit of the foreign member; its assessment awaits the self-assessment.
BUREAU_DECIDES_ON_B = {**BUREAU_DECIDES, "member": 404, "expert": 404}
NOT_BUREAU = dict.fromkeys(("member", "foreign_member", "expert"), 403)
OWN_ALLIANCE_UNSAFE = {**OWN_ALLIANCE, **UNSAFE_BY_TOKEN}
BUREAU_OR_ASSIGNED_EXPERT = {"member": 404, "foreign_member": 404, "department_reviewer": 404, "liaison": 404}



def _call(world) -> int:
    """A published call, made on first use (the calls' own API tests cover unpublished ones)."""
    if "call" not in world:
        from tests.factories import CallFactory

        world["call"] = CallFactory()
    return world["call"].pk


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
    Endpoint("review-application-list", "get", lambda w: "/api/v1/reviews/applications/", expected=OFFICERS_ONLY),
    Endpoint("review-application-detail", "get", lambda w: f"/api/v1/reviews/applications/{w['alliance_a'].pk}/",
             expected=OFFICERS_ONLY),
    Endpoint("review-application-actions", "get",
             lambda w: f"/api/v1/reviews/applications/{w['alliance_a'].pk}/actions/", expected=OWN_ALLIANCE),
    Endpoint("review-application-screening", "post",
             lambda w: f"/api/v1/reviews/applications/{w['alliance_a'].pk}/screening/",
             body={"passed_item_ids": []}, default=409, expected=OFFICER_SERVICE_ON_A),
    Endpoint("review-application-assign-experts", "post",
             lambda w: f"/api/v1/reviews/applications/{w['alliance_a'].pk}/assign-experts/",
             body=lambda w: {"experts": [w["expert_profile"].pk], "due_date": "2099-12-31"}, default=409,
             expected=OFFICER_SERVICE_ON_A),
    Endpoint("review-application-opinion", "post",
             lambda w: f"/api/v1/reviews/applications/{w['alliance_a'].pk}/opinion/",
             body={"opinion": "agree"}, default=403, expected={"foreign_member": 404, "expert": 404}),
    Endpoint("expert-assignment-list", "get", lambda w: "/api/v1/reviews/assignments/"),
    Endpoint("expert-assignment-detail", "get", lambda w: f"/api/v1/reviews/assignments/{w['assignment'].pk}/",
             expected=BUREAU_OR_ASSIGNED_EXPERT),
    Endpoint("expert-assignment-respond", "post",
             lambda w: f"/api/v1/reviews/assignments/{w['assignment'].pk}/respond/", body={"accept": True},
             default=403, expected={**BUREAU_OR_ASSIGNED_EXPERT, "expert": 409}),
    Endpoint("expert-assignment-scorecard", "post",
             lambda w: f"/api/v1/reviews/assignments/{w['assignment'].pk}/scorecard/", body={"scores": []},
             default=403, expected={**BUREAU_OR_ASSIGNED_EXPERT, "expert": 409}),
    Endpoint("joint-opinion-list", "get", lambda w: "/api/v1/reviews/opinions/"),
    Endpoint("joint-opinion-detail", "get", lambda w: f"/api/v1/reviews/opinions/{w['opinion'].pk}/",
             expected={"member": 404, "foreign_member": 404, "liaison": 404, "expert": 404}),
    Endpoint("designation-list", "get", lambda w: "/api/v1/designations/"),
    Endpoint("designation-detail", "get", lambda w: f"/api/v1/designations/{w['designation_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("register-list", "get", lambda w: "/api/v1/register/", expected={"anonymous": 200}),
    Endpoint("register-detail", "get", lambda w: f"/api/v1/register/{w['designation_b'].pk}/",
             expected={"anonymous": 200}),
    Endpoint("project-list", "get", lambda w: "/api/v1/projects/"),
    Endpoint("project-detail", "get", lambda w: f"/api/v1/projects/{w['project_a'].pk}/", expected=OWN_ALLIANCE),
    Endpoint("project-transition", "post", lambda w: f"/api/v1/projects/{w['project_a'].pk}/transition/",
             body={"action": "pass_acceptance"}, default=409, expected=OWN_ALLIANCE_UNSAFE),
    Endpoint("project-report", "post", lambda w: f"/api/v1/projects/{w['project_a'].pk}/report/", default=400,
             expected=OWN_ALLIANCE_UNSAFE),
    Endpoint("project-request-change", "post", lambda w: f"/api/v1/projects/{w['project_a'].pk}/request-change/",
             default=400, expected=OWN_ALLIANCE_UNSAFE),
    Endpoint("progress-report-list", "get", lambda w: "/api/v1/progress-reports/"),
    Endpoint("progress-report-detail", "get", lambda w: f"/api/v1/progress-reports/{w['report_a'].pk}/",
             expected=OWN_ALLIANCE),
    Endpoint("change-request-list", "get", lambda w: "/api/v1/change-requests/"),
    Endpoint("change-request-detail", "get", lambda w: f"/api/v1/change-requests/{w['change_a'].pk}/",
             expected=OWN_ALLIANCE),
    Endpoint("activity-list", "get", lambda w: "/api/v1/activities/"),
    Endpoint("activity-detail", "get", lambda w: f"/api/v1/activities/{w['activity_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("assessment-list", "get", lambda w: "/api/v1/assessments/"),
    Endpoint("assessment-detail", "get", lambda w: f"/api/v1/assessments/{w['assessment_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    Endpoint("assessment-open", "post", lambda w: "/api/v1/assessments/open/", body=lambda w: {"alliance": w["alliance_a"].pk},
             default=409, expected=BUREAU_DECIDES),
    Endpoint("assessment-decide", "post", lambda w: f"/api/v1/assessments/{w['assessment_b'].pk}/decide/",
             default=409, expected=BUREAU_DECIDES_ON_B),
    Endpoint("assessment-reassess", "post", lambda w: f"/api/v1/assessments/{w['assessment_b'].pk}/reassess/",
             default=400, expected=BUREAU_DECIDES_ON_B),
    Endpoint("assessment-decide-reassessment", "post",
             lambda w: f"/api/v1/assessments/{w['assessment_b'].pk}/decide-reassessment/",
             body={"restore": True, "comment": "整改到位"}, default=409, expected=BUREAU_DECIDES_ON_B),
    Endpoint("lifecycle-stage-list", "get", lambda w: "/api/v1/lifecycle-stages/"),
    Endpoint("lifecycle-stage-detail", "get", lambda w: f"/api/v1/lifecycle-stages/{w['stage_b'].pk}/",
             expected=FOREIGN_ALLIANCE),
    *(Endpoint(f"dashboard-{name}", "get", lambda w, path=path: f"/api/v1/dashboard/{path}/", expected=NOT_BUREAU)
      for name, path in (("summary", "summary"), ("time-series", "time-series"), ("sectors", "sectors"),
                         ("districts", "districts"), ("watch-list", "watch-list"))),
    Endpoint("call-list", "get", lambda w: "/api/v1/calls/"),
    Endpoint("call-detail", "get", lambda w: f"/api/v1/calls/{_call(w)}/"),
    Endpoint("call-funnel", "get", lambda w: f"/api/v1/calls/{_call(w)}/funnel/", expected=OFFICERS_ONLY),
    Endpoint("notification-list", "get", lambda w: "/api/v1/notifications/"),
    Endpoint("notification-detail", "get", lambda w: f"/api/v1/notifications/{w['notification'].pk}/",
             expected=ONLY_OWNER),
    Endpoint("notification-mark-read", "post", lambda w: f"/api/v1/notifications/{w['notification'].pk}/mark-read/",
             expected={**ONLY_OWNER, **UNSAFE_BY_TOKEN}),
    Endpoint("notification-mark-all-read", "post", lambda w: "/api/v1/notifications/mark-all-read/",
             expected=UNSAFE_BY_TOKEN),
    # Last: these change state.
    Endpoint("expert-assignment-withdraw", "post",
             lambda w: f"/api/v1/reviews/assignments/{w['assignment'].pk}/withdraw/",
             default=200, expected={**BUREAU_OR_ASSIGNED_EXPERT, **UNSAFE_BY_TOKEN, "expert": 403}),
    Endpoint("change-request-decide", "post", lambda w: f"/api/v1/change-requests/{w['change_a'].pk}/decide/",
             body={"approve": False, "comment": "预算依据不足"}, expected={**OFFICER_SERVICE_ON_A}),
    Endpoint("lifecycle-stage-record", "post", lambda w: "/api/v1/lifecycle-stages/record/",
             body=lambda w: {"alliance": w["alliance_a"].pk, "stage": "growth", "health": health_payload(4, "新增项目5项")},
             expected=BUREAU_DECIDES),
    Endpoint("review-application-transition", "post",
             lambda w: f"/api/v1/reviews/applications/{w['alliance_a'].pk}/transition/",
             body={"action": "start_screening"}, expected=OFFICER_SERVICE_ON_A),
]
