"""Read-side queries of calls: public listings, the funnel, missing documents, the scorecard lock."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.eligibility import Problem
from alliances.models import Alliance, StateTransition
from alliances.workflow import State
from reviews.models import Scorecard

from .models import ApplicationDocument, Call, RequiredDocument

RECENTLY_CLOSED = timedelta(days=90)


def public_calls(moment=None):
    """Published calls that are open, about to open, or closed within the last three months; open first."""
    moment = moment or timezone.now()
    return (Call.objects.published().filter(closes_at__gt=moment - RECENTLY_CLOSED)
            .prefetch_related("sectors").order_by("-closes_at", "-pk"))


def open_calls_for(sector=None, moment=None):
    """Open calls, limited to those covering ``sector`` (a call without sectors covers every sector)."""
    calls = Call.objects.open_at(moment)
    if sector is not None:
        calls = calls.filter(Q(sectors=sector) | Q(sectors=None))
    return calls.distinct().prefetch_related("sectors").order_by("closes_at", "pk")


def covers(call: Call, sector) -> bool:
    sectors = list(call.sectors.all())
    return not sectors or sector in sectors


# --- The funnel ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    own_condition: Q | None  # on Alliance rows: the application reached the step (None: defined by another app)

    @property
    def condition(self) -> Q:
        return self.own_condition if self.own_condition is not None else _defined_conditions[self.key]


# Steps whose records another app keeps: that app defines the condition in its AppConfig.ready
# (site_visits: "visited", the findings of a visit recorded), so that calls imports no app above it.
_defined_conditions: dict[str, Q] = {}


def define_step(key: str, condition: Q) -> None:
    _defined_conditions[key] = condition


def _transition(condition: Q) -> Q:
    """The application has a transition record like this."""
    return Q(Exists(StateTransition.objects.filter(condition, alliance_id=OuterRef("pk"))))


# Each step but the first is "the application has a record like this"; drafts are counted by current state.
FUNNEL = (
    FunnelStep("drafts", pgettext_lazy("funnel", "Drafts"), Q(state=State.DRAFT)),
    FunnelStep("submitted", pgettext_lazy("funnel", "Submitted"), _transition(Q(action="submit"))),
    FunnelStep("recommended", pgettext_lazy("funnel", "Recommended"), _transition(Q(action="recommend"))),
    FunnelStep("screened", pgettext_lazy("funnel", "Screened"), _transition(Q(action="send_to_experts"))),
    FunnelStep("scored", pgettext_lazy("funnel", "Scored"),
               _transition(Q(action__in=["send_to_joint_review", "start_site_visit"]))),
    FunnelStep("visited", pgettext_lazy("funnel", "Visited"), None),  # site_visits defines it
    FunnelStep("decided", pgettext_lazy("funnel", "Decided"),
               _transition(Q(action="start_public_notice") | Q(action="reject", source__in=[State.JOINT_REVIEW,
                                                                                            State.PUBLIC_NOTICE]))),
    FunnelStep("designated", pgettext_lazy("funnel", "Designated"), _transition(Q(action="grant_pilot"))),
)
FUNNEL_KEYS = {step.key: step for step in FUNNEL}
FUNNEL_FILTER_LABELS = {  # the alliance list's filters behind the funnel's counts
    "call": _("call for applications"), "all_calls": pgettext_lazy("filter", "All calls"),
    "reached": _("reached step"), "any_step": pgettext_lazy("filter", "Any step"),
}
FUNNEL_CHOICES = [(step.key, step.label) for step in FUNNEL]


def reached(key: str) -> Q:
    """A condition on Alliance rows: the application reached funnel step ``key`` (the funnel counts these, and
    the alliance list's ``reached`` filter shows them)."""
    return FUNNEL_KEYS[key].condition


def funnel(call: Call) -> dict[str, int]:
    """How many of the call's applications reached each step, in one aggregate query."""

    return Alliance.objects.filter(call=call).aggregate(
        **{step.key: Count("pk", filter=reached(step.key)) for step in FUNNEL}
    )


def funnel_steps(call: Call) -> list[FunnelStep]:
    """The steps that apply to the call: no "recommended" without district recommendation, no "visited"
    without site visits."""
    skip = set()
    if not call.requires_district_recommendation:
        skip.add("recommended")
    if not call.uses_site_visits:
        skip.add("visited")
    return [step for step in FUNNEL if step.key not in skip]


# --- Documents ------------------------------------------------------------------------------------------


def document_status(alliance) -> list[tuple[RequiredDocument, ApplicationDocument | None]]:
    """Each document the application's call asks for, with its newest upload (or None)."""
    if alliance.call_id is None:
        return []
    documents = list(RequiredDocument.objects.filter(call_id=alliance.call_id))
    newest = {}
    for upload in (ApplicationDocument.objects.filter(alliance=alliance).select_related("uploaded_by")
                   .order_by("uploaded_at", "pk")):
        newest[upload.required_document_id] = upload
    return [(document, newest.get(document.pk)) for document in documents]


def missing_documents(alliance) -> list[RequiredDocument]:
    """The call's required documents the application has not uploaded yet."""
    if alliance.call_id is None:
        return []
    uploaded = ApplicationDocument.objects.filter(alliance_id=alliance.pk, required_document_id=OuterRef("pk"))
    return list(RequiredDocument.objects.filter(call_id=alliance.call_id, is_required=True)
                .exclude(Exists(uploaded)))


# --- Scorecard ------------------------------------------------------------------------------------------


def scorecard_locked(call: Call) -> bool:
    """A call's criteria are fixed once the first scorecard of any of its applications was submitted."""
    return Scorecard.objects.filter(assignment__alliance__call=call, submitted_at__isnull=False).exists()


def locked_scorecard_calls(call_ids) -> set[int]:
    """The ids among ``call_ids`` of the calls whose scorecard is locked (``scorecard_locked``), in one query."""
    call_ids = {pk for pk in call_ids if pk is not None}
    if not call_ids:
        return set()
    return set(Scorecard.objects.filter(assignment__alliance__call__in=call_ids, submitted_at__isnull=False)
               .values_list("assignment__alliance__call", flat=True).distinct())


SCORECARD_LOCKED = _("Experts have already submitted scores under this call's scorecard; its criteria can no "
                     "longer change (scores must stay comparable).")


def missing_document_problems(alliance) -> list:
    """The pre-submit check's entry for the call's required documents not uploaded yet (none or one)."""
    from django.utils.translation import gettext


    missing = missing_documents(alliance)
    if not missing:
        return []
    return [Problem("call_documents_missing", DOCUMENTS_SECTION,
                    gettext("Documents required by the call have not been uploaded: %(documents)s.")
                    % {"documents": "、".join(document.name for document in missing)})]


DOCUMENTS_SECTION = "call_documents"
