"""The home page's to-do list (待办事项), gathered from every local app that has a ``todo`` module.

An app adds items by defining ``<app>/todo.py`` with ``items(user) -> list[TodoItem]``; each item
costs at most a query or two, so the home page stays cheap however many rows there are.
"""

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list; ``count=None`` makes it a notice without a number."""

    label: str
    count: int | None
    url: str
    colour: str = "primary"  # a Bootstrap contextual colour: primary, warning, danger, success …
    icon: str = "list-check"  # a bootstrap-icons name

    @property
    def is_notice(self) -> bool:
        return self.count is None


@cache
def _todo_modules() -> tuple:
    """The ``todo`` modules of the project's own apps (not third-party ones), found once per process."""
    base = Path(settings.BASE_DIR).resolve()
    modules = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        name = f"{config.name}.todo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return tuple(modules)


def collect(user) -> list[TodoItem]:
    """Every app's items for the user, notices first, then by app order; items with count 0 are hidden."""
    found = [item for module in _todo_modules() for item in module.items(user) if item.count != 0]
    return sorted(found, key=lambda item: not item.is_notice)


def items(user) -> list[TodoItem]:
    """Accounts' own items: registrations awaiting the bureau; the state of a member's own registration."""
    from alliances.models import Organisation

    from . import rules, selectors

    found = []
    if rules.is_bureau_officer(user):
        count = selectors.pending_organisation_count()
        found.append(TodoItem(
            label=ngettext("member unit awaiting verification", "member units awaiting verification", count),
            count=count,
            url=reverse("organisation_list") + "?" + urlencode({"verification": Organisation.Verification.PENDING}),
            colour="warning", icon="building-check",
        ))
    if user.organisation_id and rules.is_member_user(user):
        organisation = user.organisation
        if organisation.verification == Organisation.Verification.PENDING:
            found.append(TodoItem(
                label=_("Your organisation awaits verification by the science bureau. You can prepare drafts "
                        "now; submitting is possible once it is verified."),
                count=None, url=reverse("organisation_profile"), colour="info", icon="hourglass-split",
            ))
        elif organisation.verification == Organisation.Verification.REJECTED:
            found.append(TodoItem(
                label=_("The bureau rejected your organisation's registration: %(reason)s")
                % {"reason": organisation.verification_note},
                count=None, url=reverse("organisation_profile"), colour="danger", icon="exclamation-octagon",
            ))
    return found
