"""The district reviewer's to-do item: applications of the district waiting for its recommendation."""

from django.urls import reverse
from django.utils.translation import ngettext

from alliance_portal.core.todo import TodoItem

from . import selectors
from .rules import is_scoped_district_reviewer


def items(user) -> list[TodoItem]:
    if not user.is_authenticated or not is_scoped_district_reviewer(user):
        return []
    waiting = selectors.district_queue(user).count()
    return [TodoItem(
        label=ngettext("application awaits your district's recommendation",
                       "applications await your district's recommendation", waiting),
        count=waiting, url=reverse("recommendations:queue"), colour="primary", icon="patch-check",
    )]
