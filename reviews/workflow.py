"""The review-and-designation workflow, declared once as data.

States of an alliance application (申报) and of the designated alliance that follows from it, and
the transitions allowed between them. Pages, API, admin and tasks all change state through
``reviews.services.transition`` (and the named service functions built on it), which consults this
table. Nothing here imports models, so any app may read it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import pgettext_lazy

from accounts.roles import Role


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("state", "Submitted")
    SCREENING = "screening", pgettext_lazy("state", "Screening")
    RETURNED = "returned", pgettext_lazy("state", "Returned for revision")
    RESUBMITTED = "resubmitted", pgettext_lazy("state", "Resubmitted")
    EXPERT_REVIEW = "expert_review", pgettext_lazy("state", "Expert review")
    JOINT_REVIEW = "joint_review", pgettext_lazy("state", "Joint review")
    PUBLIC_NOTICE = "public_notice", pgettext_lazy("state", "Public notice")
    PILOT = "pilot", pgettext_lazy("state", "Pilot")
    ASSESSMENT = "assessment", pgettext_lazy("state", "Under assessment")
    DEMONSTRATION = "demonstration", pgettext_lazy("state", "Demonstration")
    RECTIFICATION = "rectification", pgettext_lazy("state", "Rectification")
    REASSESSMENT = "reassessment", pgettext_lazy("state", "Re-assessment")
    REVOKED = "revoked", pgettext_lazy("state", "Revoked")
    WITHDRAWN = "withdrawn", pgettext_lazy("state", "Withdrawn")
    REJECTED = "rejected", pgettext_lazy("state", "Rejected")


# Grouped sets, used by permissions, lists and dashboards.
EDITABLE_BY_APPLICANT = frozenset({State.DRAFT, State.RETURNED})
UNDER_REVIEW = frozenset({
    State.SUBMITTED, State.SCREENING, State.RESUBMITTED, State.EXPERT_REVIEW, State.JOINT_REVIEW,
    State.PUBLIC_NOTICE,
})
DESIGNATED = frozenset({
    State.PILOT, State.ASSESSMENT, State.DEMONSTRATION, State.RECTIFICATION, State.REASSESSMENT,
})
CLOSED = frozenset({State.REVOKED, State.WITHDRAWN, State.REJECTED})
# The applicant may withdraw at any point before the decision (designation or rejection).
WITHDRAWABLE = frozenset({
    State.DRAFT, State.SUBMITTED, State.SCREENING, State.RETURNED, State.RESUBMITTED, State.EXPERT_REVIEW,
    State.JOINT_REVIEW, State.PUBLIC_NOTICE,
})

# One colour per state everywhere (Bootstrap contextual names).
BADGE = {
    State.DRAFT: "secondary",
    State.SUBMITTED: "info",
    State.SCREENING: "info",
    State.RETURNED: "warning",
    State.RESUBMITTED: "info",
    State.EXPERT_REVIEW: "primary",
    State.JOINT_REVIEW: "primary",
    State.PUBLIC_NOTICE: "primary",
    State.PILOT: "success",
    State.ASSESSMENT: "primary",
    State.DEMONSTRATION: "success",
    State.RECTIFICATION: "danger",
    State.REASSESSMENT: "warning",
    State.REVOKED: "dark",
    State.WITHDRAWN: "secondary",
    State.REJECTED: "danger",
}


@dataclass(frozen=True)
class Transition:
    action: str
    source: State
    target: State
    roles: frozenset[Role]
    label: str
    comment_required: bool = False  # the reason must be written down (a rejection, a revocation)


def _t(action, sources, target, roles, label, *, comment_required=False):
    return [Transition(action, source, target, frozenset(roles), label, comment_required) for source in sources]


APPLICANT = {Role.MEMBER}
OFFICER = {Role.OFFICER, Role.ADMIN}

TRANSITIONS: tuple[Transition, ...] = tuple(
    _t("submit", [State.DRAFT], State.SUBMITTED, APPLICANT, pgettext_lazy("action", "Submit"))
    + _t("resubmit", [State.RETURNED], State.RESUBMITTED, APPLICANT, pgettext_lazy("action", "Resubmit"))
    + _t("withdraw", sorted(WITHDRAWABLE - {State.DRAFT}), State.WITHDRAWN, APPLICANT,
         pgettext_lazy("action", "Withdraw"))
    + _t("start_screening", [State.SUBMITTED, State.RESUBMITTED], State.SCREENING, OFFICER,
         pgettext_lazy("action", "Start screening"))
    + _t("return_for_revision", [State.SCREENING, State.EXPERT_REVIEW, State.JOINT_REVIEW], State.RETURNED,
         OFFICER, pgettext_lazy("action", "Return for revision"))
    + _t("send_to_experts", [State.SCREENING], State.EXPERT_REVIEW, OFFICER,
         pgettext_lazy("action", "Send to expert review"))
    + _t("send_to_joint_review", [State.EXPERT_REVIEW], State.JOINT_REVIEW, OFFICER,
         pgettext_lazy("action", "Send to joint review"))
    + _t("start_public_notice", [State.JOINT_REVIEW], State.PUBLIC_NOTICE, OFFICER,
         pgettext_lazy("action", "Start public notice"))
    + _t("grant_pilot", [State.PUBLIC_NOTICE], State.PILOT, OFFICER, pgettext_lazy("action", "Grant pilot status"))
    + _t("reject", [State.SCREENING, State.EXPERT_REVIEW, State.JOINT_REVIEW, State.PUBLIC_NOTICE],
         State.REJECTED, OFFICER, pgettext_lazy("action", "Reject"), comment_required=True)
    + _t("open_assessment", [State.PILOT, State.DEMONSTRATION], State.ASSESSMENT, OFFICER,
         pgettext_lazy("action", "Open assessment"))
    + _t("grant_demonstration", [State.ASSESSMENT], State.DEMONSTRATION, OFFICER,
         pgettext_lazy("action", "Grant demonstration status"))
    + _t("keep_pilot", [State.ASSESSMENT], State.PILOT, OFFICER, pgettext_lazy("action", "Keep pilot status"))
    + _t("order_rectification", [State.ASSESSMENT], State.RECTIFICATION, OFFICER,
         pgettext_lazy("action", "Order rectification"))
    + _t("open_reassessment", [State.RECTIFICATION], State.REASSESSMENT, OFFICER,
         pgettext_lazy("action", "Open re-assessment"))
    + _t("restore_pilot", [State.REASSESSMENT], State.PILOT, OFFICER, pgettext_lazy("action", "Restore pilot status"))
    + _t("revoke", [State.REASSESSMENT, State.RECTIFICATION], State.REVOKED, OFFICER,
         pgettext_lazy("action", "Revoke"))
)

_BY_KEY = {(t.action, t.source): t for t in TRANSITIONS}


def find(action: str, source: str) -> Transition | None:
    """The transition for ``action`` from ``source``, or None when the table does not allow it."""
    return _BY_KEY.get((action, State(source)))


def actions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]


def sources_of(action: str) -> frozenset[State]:
    return frozenset(t.source for t in TRANSITIONS if t.action == action)
