"""The projects part of a user's to-do list (待办事项): counts, each a link to the filtered list."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from accounts.roles import Role
from alliance_portal.core.todo import TodoItem

from . import periods
from .models import ChangeRequest, Project
from .workflow import RUNNING, ProjectState


def items(user) -> list[TodoItem]:
    """To-do items about projects for the user (two or three queries), non-zero counts only."""
    if not user.is_authenticated:
        return []
    today = periods.local_today()
    projects = Project.objects.visible_to(user)
    list_url = reverse("projects:list")
    found = []
    if user.has_perm("projects.decide_project"):
        counts = projects.aggregate(
            to_decide=_count(Q(state=ProjectState.SUBMITTED)),
            overdue=_count(Q(state__in=RUNNING, next_report_due__lt=today)),
        )
        changes = ChangeRequest.objects.filter(project__in=projects, status=ChangeRequest.Status.PENDING).count()
        found += [
            TodoItem(count=counts["to_decide"], colour="primary", url=f"{list_url}?state=submitted", icon="kanban",
                     label=ngettext("project to decide", "projects to decide", counts["to_decide"])),
            TodoItem(count=changes, colour="warning", url=f"{list_url}?changes=pending", icon="arrow-left-right",
                     label=ngettext("change request to decide", "change requests to decide", changes)),
            TodoItem(count=counts["overdue"], colour="danger", url=f"{list_url}?late=on", icon="alarm",
                     label=ngettext("project with an overdue progress report",
                                    "projects with an overdue progress report", counts["overdue"])),
        ]
    elif user.has_role(Role.LIAISON):
        followed = projects.filter(alliance__supervision__liaison_officer=user)
        overdue = followed.filter(state__in=RUNNING, next_report_due__lt=today).count()
        found.append(TodoItem(
            count=overdue, colour="danger", url=f"{list_url}?late=on&followed=mine", icon="alarm",
            label=ngettext("project with an overdue progress report in the alliances you follow",
                           "projects with an overdue progress report in the alliances you follow", overdue)))
    elif user.has_role(Role.MEMBER) and user.organisation_id:
        mine = projects.filter(Q(lead_unit_id=user.organisation_id) | Q(created_by=user)
                               | Q(alliance__chairman_id=user.organisation_id))
        counts = mine.aggregate(
            due=_count(Q(state__in=RUNNING, next_report_due__isnull=False,
                         next_report_due__lte=today + _soon())),
            returned=_count(Q(state=ProjectState.RETURNED)),
        )
        found += [
            TodoItem(count=counts["due"], colour="danger", url=f"{list_url}?reports=due", icon="clipboard-data",
                     label=ngettext("progress report due", "progress reports due", counts["due"])),
            TodoItem(count=counts["returned"], colour="warning", url=f"{list_url}?state=returned", icon="reply",
                     label=ngettext("project returned for revision", "projects returned for revision",
                                    counts["returned"])),
        ]
    return [item for item in found if item.count]


def _count(condition):
    return Count("pk", filter=condition)


def _soon() -> timedelta:
    """Reports show up as due this many days before their due date."""
    return timedelta(days=periods.grace_days())
