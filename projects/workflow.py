"""The project workflow, declared once as data.

States of an alliance innovation project (联盟创新项目) from filing to completion acceptance (验收),
and the transitions allowed between them. Pages, admin and tasks all change a project's state
through ``projects.services.transition_project`` (the core engine's ``apply_transition`` on
``projects.services.PROJECT``) and the named services built on it, which consult this table.
Nothing here imports models, so any module may read it.
"""

from django.db import models
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from alliance_portal.core.workflow import Transition


class ProjectState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("project state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("project state", "Submitted")
    RETURNED = "returned", pgettext_lazy("project state", "Returned for revision")
    REJECTED = "rejected", pgettext_lazy("project state", "Rejected")
    APPROVED = "approved", pgettext_lazy("project state", "Approved")
    IN_PROGRESS = "in_progress", pgettext_lazy("project state", "In progress")
    ACCEPTANCE = "acceptance", pgettext_lazy("project state", "Completion acceptance")
    PASSED = "passed", pgettext_lazy("project state", "Accepted")
    FAILED = "failed", pgettext_lazy("project state", "Acceptance failed")
    TERMINATED = "terminated", pgettext_lazy("project state", "Terminated")


# Grouped sets, used by permissions, lists and indicators.
EDITABLE_BY_APPLICANT = frozenset({ProjectState.DRAFT, ProjectState.RETURNED})
AWAITING_DECISION = frozenset({ProjectState.SUBMITTED})
APPROVED_STATES = frozenset({
    ProjectState.APPROVED, ProjectState.IN_PROGRESS, ProjectState.ACCEPTANCE, ProjectState.PASSED,
    ProjectState.FAILED, ProjectState.TERMINATED,
})
RUNNING = frozenset({ProjectState.APPROVED, ProjectState.IN_PROGRESS})  # reports and change requests
REPORTING = RUNNING
CHANGEABLE = RUNNING
CLOSED = frozenset({ProjectState.REJECTED, ProjectState.PASSED, ProjectState.FAILED, ProjectState.TERMINATED})
# The API's ``state_group`` filter: approved (running and closed after approval included), running, closed.
STATE_GROUPS = {"approved": APPROVED_STATES, "running": RUNNING, "closed": CLOSED}

# One colour per state everywhere (Bootstrap contextual names).
BADGE = {
    ProjectState.DRAFT: "secondary",
    ProjectState.SUBMITTED: "info",
    ProjectState.RETURNED: "warning",
    ProjectState.REJECTED: "danger",
    ProjectState.APPROVED: "primary",
    ProjectState.IN_PROGRESS: "primary",
    ProjectState.ACCEPTANCE: "info",
    ProjectState.PASSED: "success",
    ProjectState.FAILED: "danger",
    ProjectState.TERMINATED: "dark",
}


def _t(action, sources, target, roles, label, *, comment_required=False):
    return [Transition(action, source, target, frozenset(roles), label, comment_required) for source in sources]


APPLICANT = {Role.MEMBER}
OFFICER = {Role.OFFICER, Role.ADMIN}
S = ProjectState

TRANSITIONS: tuple[Transition, ...] = tuple(
    _t("submit", [S.DRAFT], S.SUBMITTED, APPLICANT, pgettext_lazy("project action", "Submit"))
    + _t("resubmit", [S.RETURNED], S.SUBMITTED, APPLICANT, pgettext_lazy("project action", "Resubmit"))
    + _t("return", [S.SUBMITTED], S.RETURNED, OFFICER, pgettext_lazy("project action", "Return for revision"),
         comment_required=True)
    + _t("reject", [S.SUBMITTED], S.REJECTED, OFFICER, pgettext_lazy("project action", "Reject"),
         comment_required=True)
    + _t("approve", [S.SUBMITTED], S.APPROVED, OFFICER, pgettext_lazy("project action", "Approve (立项)"))
    + _t("start", [S.APPROVED], S.IN_PROGRESS, APPLICANT | OFFICER,
         pgettext_lazy("project action", "Record start of work"))
    + _t("request_acceptance", [S.IN_PROGRESS], S.ACCEPTANCE, APPLICANT,
         pgettext_lazy("project action", "Apply for completion acceptance"))
    + _t("pass_acceptance", [S.ACCEPTANCE], S.PASSED, OFFICER, pgettext_lazy("project action", "Pass acceptance"))
    + _t("fail_acceptance", [S.ACCEPTANCE], S.FAILED, OFFICER, pgettext_lazy("project action", "Fail acceptance"),
         comment_required=True)
    + _t("terminate", [S.APPROVED, S.IN_PROGRESS, S.ACCEPTANCE], S.TERMINATED, OFFICER,
         pgettext_lazy("project action", "Terminate"), comment_required=True)
)

_BY_KEY = {(t.action, t.source): t for t in TRANSITIONS}
ACTIONS = frozenset(t.action for t in TRANSITIONS)


def find(action: str, source: str) -> Transition | None:
    """The transition for ``action`` from ``source``, or None when the table does not allow it."""
    return _BY_KEY.get((action, ProjectState(source)))


def actions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]


def targets_of(action: str) -> frozenset[ProjectState]:
    return frozenset(t.target for t in TRANSITIONS if t.action == action)


def label_of(action: str) -> str:
    return next(t.label for t in TRANSITIONS if t.action == action)
