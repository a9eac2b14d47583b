"""To-do entries of the review workflow for the home page: each a count and a link to the filtered list.

Applications to screen, experts' assignments to answer and score, department opinions to give,
public notices ending and objections to resolve. At most three queries per role.
"""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from accounts.roles import Role
from alliance_portal.core.todo import TodoItem
from alliances.models import Alliance
from alliances.workflow import State

from . import selectors
from .models import ExpertAssignment, JointReviewOpinion, Objection, PublicNotice


def items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    found = []
    if user.has_role(Role.OFFICER) or user.has_role(Role.ADMIN):
        found += _officer_items()
    if user.has_role(Role.EXPERT):
        found += _expert_items(user)
    if user.has_role(Role.DEPARTMENT_REVIEWER):
        found += _department_items(user)
    return found


def _queue(state: str) -> str:
    return reverse("reviews:queue") + "?" + urlencode({"state": state})


def _officer_items() -> list[TodoItem]:
    today = timezone.localdate()
    counts = Alliance.objects.aggregate(
        to_screen=Count("pk", filter=Q(state__in=[State.SUBMITTED, State.RESUBMITTED, State.SCREENING])),
        joint=Count("pk", filter=Q(state=State.JOINT_REVIEW)),
    )
    notices = PublicNotice.objects.filter(closed_at__isnull=True, alliance__state=State.PUBLIC_NOTICE).aggregate(
        ending=Count("pk", filter=Q(ends_on__gte=today, ends_on__lte=today + timedelta(days=2))),
        ended=Count("pk", filter=Q(ends_on__lt=today)),
    )
    objections = Objection.objects.filter(status=Objection.Status.OPEN).count()
    return [
        TodoItem(label=ngettext("application to screen", "applications to screen", counts["to_screen"]),
                 count=counts["to_screen"], url=_queue("active"), colour="primary", icon="clipboard-check"),
        TodoItem(label=ngettext("objection to resolve", "objections to resolve", objections),
                 count=objections, url=_queue(State.PUBLIC_NOTICE), colour="danger", icon="exclamation-octagon"),
        TodoItem(label=ngettext("public notice ends within 2 days", "public notices end within 2 days",
                                notices["ending"]),
                 count=notices["ending"], url=_queue(State.PUBLIC_NOTICE), colour="info", icon="megaphone"),
        TodoItem(label=ngettext("public notice is over: ready for designation",
                                "public notices are over: ready for designation", notices["ended"]),
                 count=notices["ended"], url=_queue(State.PUBLIC_NOTICE), colour="success", icon="award"),
        TodoItem(label=ngettext("application in joint review", "applications in joint review", counts["joint"]),
                 count=counts["joint"], url=_queue(State.JOINT_REVIEW), colour="secondary", icon="people"),
    ]


def _expert_items(user) -> list[TodoItem]:
    soon = timezone.localdate() + timedelta(days=3)
    counts = ExpertAssignment.objects.filter(expert__user=user, status__in=ExpertAssignment.OPEN).aggregate(
        invited=Count("pk", filter=Q(status=ExpertAssignment.Status.INVITED)),
        to_score=Count("pk", filter=Q(status=ExpertAssignment.Status.ACCEPTED)),
        due_soon=Count("pk", filter=Q(due_date__lte=soon)),
    )
    url = reverse("reviews:my_assignments")
    return [
        TodoItem(label=ngettext("review request awaits your answer", "review requests await your answer",
                                counts["invited"]),
                 count=counts["invited"], url=url, colour="warning", icon="envelope-open"),
        TodoItem(label=ngettext("application to score", "applications to score", counts["to_score"]),
                 count=counts["to_score"], url=url, colour="primary", icon="pencil-square"),
        TodoItem(label=ngettext("review due within 3 days or overdue", "reviews due within 3 days or overdue",
                                counts["due_soon"]),
                 count=counts["due_soon"], url=url, colour="danger", icon="alarm"),
    ]


def _department_items(user) -> list[TodoItem]:
    department = selectors.department_of(user)
    if department is None or not department.joins_joint_review:
        return []
    given = JointReviewOpinion.objects.filter(alliance=OuterRef("pk"), version=OuterRef("current_version"),
                                              department=department)
    waiting = Alliance.objects.filter(state=State.JOINT_REVIEW).exclude(Exists(given)).count()
    return [TodoItem(label=ngettext("application awaits your department's opinion",
                                    "applications await your department's opinion", waiting),
                     count=waiting, url=reverse("reviews:joint_queue"), colour="primary", icon="people")]
