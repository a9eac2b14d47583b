"""To-do items of assessments for the home page (registered in the app's ready, collected by ``alliance_portal.core.todo``): what waits for this
user, with counts and links to the filtered list. A few count queries per role, whatever the rows."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import npgettext

from accounts.rules import is_bureau_officer, is_expert, is_liaison_officer, is_member_user
from alliance_portal.core.todo import TodoItem

from . import selectors
from .models import AssessmentExpertAssignment, AssessmentRound, AssessmentRules, Rectification


def items(user) -> list[TodoItem]:
    """Items for the user's roles; ``alliance_portal.core.todo.collect`` hides those with nothing to do."""
    if not user.is_authenticated:
        return []
    found = []
    if is_bureau_officer(user):
        found += _officer_items()
    if is_member_user(user) and user.organisation_id:
        found += _chairman_items(user)
    if is_expert(user):
        found += _expert_items(user)
    if is_liaison_officer(user):
        found += _liaison_items(user)
    return [item for item in found if item.count]


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def _officer_items() -> list[TodoItem]:
    today = timezone.localdate()
    due = selectors.due_for_assessment(today).count()
    overdue = AssessmentRound.objects.filter(status=AssessmentRound.Status.SELF_ASSESSMENT,
                                             self_assessment_due__lt=today).count()
    pending = AssessmentExpertAssignment.objects.filter(round=OuterRef("pk"), submitted_at__isnull=True)
    scored = AssessmentExpertAssignment.objects.filter(round=OuterRef("pk"), submitted_at__isnull=False)
    ready = (AssessmentRound.objects.filter(status=AssessmentRound.Status.EXPERT_SCORING)
             .annotate(n=Count("assignments")).filter(~Exists(pending), Exists(scored))
             .filter(Q(kind=AssessmentRound.Kind.REASSESSMENT) | Q(n__gte=AssessmentRules.current().min_experts))
             .count())
    reassess = Rectification.objects.filter(closed_at__isnull=True, reassessment__isnull=True).filter(
        Q(reported_at__isnull=False) | Q(deadline__lt=today)).count()
    return [
        TodoItem(label=npgettext("to-do", "alliance due for its biennial assessment",
                                "alliances due for their biennial assessment", due),
                 count=due, url=_url("assessments:list") + "#due", colour="warning", icon="alarm"),
        TodoItem(label=npgettext("to-do", "self-assessment overdue", "self-assessments overdue", overdue),
                 count=overdue, url=_url("assessments:list", "deadline=overdue"), colour="danger",
                 icon="hourglass-bottom"),
        TodoItem(label=npgettext("to-do", "assessment ready for decision", "assessments ready for decision", ready),
                 count=ready, url=_url("assessments:list", "status=expert_scoring"), colour="primary",
                 icon="check2-square"),
        TodoItem(label=npgettext("to-do", "rectification ready for re-assessment", "rectifications ready for re-assessment",
                                reassess),
                 count=reassess, url=_url("assessments:list", "outcome=rectification"), colour="danger",
                 icon="tools"),
    ]


def _chairman_items(user) -> list[TodoItem]:
    org = user.organisation_id
    to_file = AssessmentRound.objects.filter(alliance__chairman_id=org,
                                             status=AssessmentRound.Status.SELF_ASSESSMENT).count()
    to_report = Rectification.objects.filter(alliance__chairman_id=org, closed_at__isnull=True,
                                             reported_at__isnull=True, reassessment__isnull=True).count()
    return [
        TodoItem(label=npgettext("to-do", "self-assessment to file", "self-assessments to file", to_file), count=to_file,
                 url=_url("assessments:list", "status=self_assessment"), colour="warning", icon="journal-text"),
        TodoItem(label=npgettext("to-do", "rectification report to send", "rectification reports to send", to_report),
                 count=to_report, url=_url("assessments:list", "outcome=rectification"), colour="danger",
                 icon="tools"),
    ]


def _liaison_items(user) -> list[TodoItem]:
    """What the alliances a liaison officer follows still owe the bureau: self-assessments, rectification reports."""
    followed = {"alliance__supervision__liaison_officer": user}
    awaited = AssessmentRound.objects.filter(status=AssessmentRound.Status.SELF_ASSESSMENT, **followed).count()
    rectifying = Rectification.objects.filter(closed_at__isnull=True, reported_at__isnull=True,
                                              reassessment__isnull=True, **followed).count()
    return [
        TodoItem(label=npgettext("to-do", "self-assessment awaited from an alliance you follow",
                                 "self-assessments awaited from alliances you follow", awaited),
                 count=awaited, url=_url("assessments:list", "status=self_assessment&followed=mine"),
                 colour="warning", icon="journal-text"),
        TodoItem(label=npgettext("to-do", "rectification under way in an alliance you follow",
                                 "rectifications under way in alliances you follow", rectifying),
                 count=rectifying, url=_url("assessments:list", "outcome=rectification&followed=mine"),
                 colour="danger", icon="tools"),
    ]


def _expert_items(user) -> list[TodoItem]:
    to_score = AssessmentExpertAssignment.objects.filter(
        expert__user=user, submitted_at__isnull=True, round__status=AssessmentRound.Status.EXPERT_SCORING).count()
    return [
        TodoItem(label=npgettext("to-do", "assessment to score", "assessments to score", to_score), count=to_score,
                 url=_url("assessments:scorecards"), colour="primary", icon="star-half"),
    ]
