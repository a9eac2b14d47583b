"""To-do items of assessments for the home page: what waits for this user, with counts and links."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.rules import is_bureau_officer, is_expert, is_member_user

from . import selectors
from .models import AssessmentExpertAssignment, AssessmentRound, AssessmentRules, Rectification


def items(user) -> list[dict]:
    """``[{"label", "count", "url", "colour"}]`` for the user's roles; items with nothing to do are left out."""
    if not user.is_authenticated:
        return []
    found = []
    if is_bureau_officer(user):
        found += _officer_items()
    if is_member_user(user) and user.organisation_id:
        found += _chairman_items(user)
    if is_expert(user):
        found += _expert_items(user)
    return [item for item in found if item["count"]]


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def _officer_items() -> list[dict]:
    today = timezone.localdate()
    due = selectors.due_for_assessment(today).count()
    counts = AssessmentRound.objects.aggregate(
        overdue=Count("pk", filter=Q(status=AssessmentRound.Status.SELF_ASSESSMENT, self_assessment_due__lt=today)),
    )
    pending = AssessmentExpertAssignment.objects.filter(round=OuterRef("pk"), submitted_at__isnull=True)
    scored = AssessmentExpertAssignment.objects.filter(round=OuterRef("pk"), submitted_at__isnull=False)
    ready = (AssessmentRound.objects.filter(status=AssessmentRound.Status.EXPERT_SCORING)
             .annotate(n=Count("assignments")).filter(~Exists(pending), Exists(scored))
             .filter(Q(kind=AssessmentRound.Kind.REASSESSMENT) | Q(n__gte=AssessmentRules.current().min_experts))
             .count())
    reported = Rectification.objects.filter(closed_at__isnull=True, reassessment__isnull=True).filter(
        Q(reported_at__isnull=False) | Q(deadline__lt=today)).count()
    return [
        {"label": ngettext("%(count)d alliance due for its biennial assessment",
                           "%(count)d alliances due for their biennial assessment", due) % {"count": due},
         "count": due, "url": _url("assessments:list") + "#due", "colour": "warning"},
        {"label": ngettext("%(count)d self-assessment overdue", "%(count)d self-assessments overdue",
                           counts["overdue"]) % {"count": counts["overdue"]},
         "count": counts["overdue"], "url": _url("assessments:list", "deadline=overdue"), "colour": "danger"},
        {"label": ngettext("%(count)d assessment ready for decision", "%(count)d assessments ready for decision",
                           ready) % {"count": ready},
         "count": ready, "url": _url("assessments:list", "status=expert_scoring"), "colour": "primary"},
        {"label": ngettext("%(count)d rectification ready for re-assessment",
                           "%(count)d rectifications ready for re-assessment", reported) % {"count": reported},
         "count": reported, "url": _url("assessments:list", "outcome=rectification"), "colour": "danger"},
    ]


def _chairman_items(user) -> list[dict]:
    org = user.organisation_id
    to_file = AssessmentRound.objects.filter(alliance__chairman_id=org,
                                             status=AssessmentRound.Status.SELF_ASSESSMENT).count()
    to_report = Rectification.objects.filter(alliance__chairman_id=org, closed_at__isnull=True,
                                             reported_at__isnull=True, reassessment__isnull=True).count()
    return [
        {"label": ngettext("%(count)d self-assessment to file", "%(count)d self-assessments to file", to_file)
         % {"count": to_file}, "count": to_file, "url": _url("assessments:list", "status=self_assessment"),
         "colour": "warning"},
        {"label": ngettext("%(count)d rectification report to send", "%(count)d rectification reports to send",
                           to_report) % {"count": to_report},
         "count": to_report, "url": _url("assessments:list", "outcome=rectification"), "colour": "danger"},
    ]


def _expert_items(user) -> list[dict]:
    to_score = AssessmentExpertAssignment.objects.filter(
        expert__user=user, submitted_at__isnull=True, round__status=AssessmentRound.Status.EXPERT_SCORING).count()
    return [
        {"label": ngettext("%(count)d assessment to score", "%(count)d assessments to score", to_score)
         % {"count": to_score}, "count": to_score, "url": _url("assessments:scorecards"), "colour": "primary"},
    ]
