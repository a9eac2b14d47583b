"""The officer's to-do item of site visits: visits whose day has come and whose findings wait to be recorded."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from accounts.rules import is_bureau_officer
from alliance_portal.core.todo import TodoItem
from alliances.workflow import State

from . import selectors


def items(user) -> list[TodoItem]:
    if not user.is_authenticated or not is_bureau_officer(user):
        return []
    count = selectors.visits_to_record(timezone.localdate()).count()
    return [TodoItem(
        label=ngettext("site visit awaits its findings", "site visits await their findings", count),
        count=count, url=reverse("reviews:queue") + "?" + urlencode({"state": State.SITE_VISIT}),
        colour="warning", icon="geo-alt",
    )]
