"""The application's state machine (申报 → designation → assessment), declared once as data.

States of an alliance application (申报) and of the designated alliance that follows from it, and
the transitions allowed between them. It lives with ``Alliance``, the row it moves. Pages, API, admin and
tasks all change state through ``alliances.transitions.transition`` (the core engine's ``apply_transition``
over this table), and the named services of the apps built on it (reviews, recommendations, site visits,
assessments), which register their guards and effects on ``alliances.transitions.APPLICATION``. Nothing here
imports models, so any app may read it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from alliance_portal.core import workflow as engine


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("state", "Draft")
    DISTRICT_REVIEW = "district_review", pgettext_lazy("state", "District recommendation")
    SUBMITTED = "submitted", pgettext_lazy("state", "Submitted")
    SCREENING = "screening", pgettext_lazy("state", "Screening")
    RETURNED = "returned", pgettext_lazy("state", "Returned for revision")
    RESUBMITTED = "resubmitted", pgettext_lazy("state", "Resubmitted")
    EXPERT_REVIEW = "expert_review", pgettext_lazy("state", "Expert review")
    SITE_VISIT = "site_visit", pgettext_lazy("state", "Site visit")
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
    NOT_RECOMMENDED = "not_recommended", pgettext_lazy("state", "Not recommended by district")


class Stage(models.TextChoices):
    """Optional stages a call (申报批次) may use; transitions tagged with a stage exist only in such calls."""

    DISTRICT = "district", pgettext_lazy("stage", "District recommendation")
    SITE_VISIT = "site_visit", pgettext_lazy("stage", "Site visit")


# Grouped sets, used by permissions, lists and dashboards.
EDITABLE_BY_APPLICANT = frozenset({State.DRAFT, State.RETURNED})
UNDER_REVIEW = frozenset({
    State.DISTRICT_REVIEW, State.SUBMITTED, State.SCREENING, State.RESUBMITTED, State.EXPERT_REVIEW,
    State.SITE_VISIT, State.JOINT_REVIEW, State.PUBLIC_NOTICE,
})
DESIGNATED = frozenset({
    State.PILOT, State.ASSESSMENT, State.DEMONSTRATION, State.RECTIFICATION, State.REASSESSMENT,
})
CLOSED = frozenset({State.REVOKED, State.WITHDRAWN, State.REJECTED, State.NOT_RECOMMENDED})
# The applicant may withdraw at any point before the decision (designation or rejection).
WITHDRAWABLE = frozenset({
    State.DRAFT, State.DISTRICT_REVIEW, State.SUBMITTED, State.SCREENING, State.RETURNED, State.RESUBMITTED,
    State.EXPERT_REVIEW, State.SITE_VISIT, State.JOINT_REVIEW, State.PUBLIC_NOTICE,
})

# One colour per state everywhere (Bootstrap contextual names).
BADGE = {
    State.DRAFT: "secondary",
    State.DISTRICT_REVIEW: "info",
    State.SUBMITTED: "info",
    State.SCREENING: "info",
    State.RETURNED: "warning",
    State.RESUBMITTED: "info",
    State.EXPERT_REVIEW: "primary",
    State.SITE_VISIT: "primary",
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
    State.NOT_RECOMMENDED: "danger",
}


@dataclass(frozen=True)
class Transition(engine.Transition):
    stage: Stage | None = None  # exists only in calls that use this stage
    unless: Stage | None = None  # exists only in calls that do not use this stage (the way round it)

    def applies(self, stages: frozenset[Stage]) -> bool:
        return (self.stage is None or self.stage in stages) and (self.unless is None or self.unless not in stages)


def _t(action, sources, target, roles, label, *, comment_required=False, stage=None, unless=None):
    return [Transition(action, source, target, frozenset(roles), label, comment_required, stage, unless)
            for source in sources]


APPLICANT = {Role.MEMBER}
OFFICER = {Role.OFFICER, Role.ADMIN}
DISTRICT = {Role.DISTRICT_REVIEWER}

TRANSITIONS: tuple[Transition, ...] = tuple(
    # In a call with district recommendation (区县推荐) the chairman unit's district sees it first.
    _t("submit", [State.DRAFT], State.DISTRICT_REVIEW, APPLICANT, pgettext_lazy("action", "Submit"),
       stage=Stage.DISTRICT)
    + _t("submit", [State.DRAFT], State.SUBMITTED, APPLICANT, pgettext_lazy("action", "Submit"),
         unless=Stage.DISTRICT)
    + _t("recommend", [State.DISTRICT_REVIEW], State.SUBMITTED, DISTRICT, pgettext_lazy("action", "Recommend"),
         stage=Stage.DISTRICT)
    + _t("decline_recommendation", [State.DISTRICT_REVIEW], State.NOT_RECOMMENDED, DISTRICT,
         pgettext_lazy("action", "Decline to recommend"), comment_required=True, stage=Stage.DISTRICT)
    + _t("resubmit", [State.RETURNED], State.RESUBMITTED, APPLICANT, pgettext_lazy("action", "Resubmit"))
    + _t("withdraw", sorted(WITHDRAWABLE - {State.DRAFT}), State.WITHDRAWN, APPLICANT,
         pgettext_lazy("action", "Withdraw"))
    + _t("start_screening", [State.SUBMITTED, State.RESUBMITTED], State.SCREENING, OFFICER,
         pgettext_lazy("action", "Start screening"))
    + _t("return_for_revision", [State.SCREENING, State.EXPERT_REVIEW, State.SITE_VISIT, State.JOINT_REVIEW],
         State.RETURNED, OFFICER, pgettext_lazy("action", "Return for revision"))
    + _t("send_to_experts", [State.SCREENING], State.EXPERT_REVIEW, OFFICER,
         pgettext_lazy("action", "Send to expert review"))
    # Site visits (实地考察) are for the shortlisted: the officer may still go straight to joint review.
    + _t("start_site_visit", [State.EXPERT_REVIEW], State.SITE_VISIT, OFFICER,
         pgettext_lazy("action", "Schedule site visit"), stage=Stage.SITE_VISIT)
    + _t("send_to_joint_review", [State.EXPERT_REVIEW, State.SITE_VISIT], State.JOINT_REVIEW, OFFICER,
         pgettext_lazy("action", "Send to joint review"))
    + _t("start_public_notice", [State.JOINT_REVIEW], State.PUBLIC_NOTICE, OFFICER,
         pgettext_lazy("action", "Start public notice"))
    + _t("grant_pilot", [State.PUBLIC_NOTICE], State.PILOT, OFFICER, pgettext_lazy("action", "Grant pilot status"))
    # A returned application never resubmitted can be closed, so that its call's batch is not held up.
    + _t("reject", [State.SCREENING, State.RETURNED, State.EXPERT_REVIEW, State.SITE_VISIT, State.JOINT_REVIEW,
                    State.PUBLIC_NOTICE],
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

ALL_STAGES = frozenset(Stage)


def find(action: str, source: str, stages: frozenset[Stage] = frozenset()) -> Transition | None:
    """The transition for ``action`` from ``source`` in a call using ``stages``, or None when not allowed."""
    source = State(source)
    return next((t for t in TRANSITIONS if t.action == action and t.source == source and t.applies(stages)), None)


def actions_from(source: str, stages: frozenset[Stage] = ALL_STAGES) -> list[Transition]:
    """The actions open from ``source``; by default those of any call, else those of a call using ``stages``."""
    seen, found = set(), []
    for t in TRANSITIONS:
        if t.source == source and (stages is ALL_STAGES or t.applies(stages)) and t.action not in seen:
            seen.add(t.action)
            found.append(t)
    return found


def sources_of(action: str) -> frozenset[State]:
    return frozenset(t.source for t in TRANSITIONS if t.action == action)
