"""The home page's to-do list (待办事项): each app registers what waits for a user.

An app with things to do defines ``items(user) -> list[TodoItem]`` (in its ``todo`` module) and registers
it in its ``AppConfig.ready`` with ``todo.provide(items)``; the home page shows ``collect(user)``. Each item
costs at most a query or two, so the home page stays cheap however many rows there are.
"""

from collections.abc import Callable
from dataclasses import dataclass


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


_providers: list[Callable[[object], list[TodoItem]]] = []


def provide(items: Callable[[object], list[TodoItem]]) -> None:
    """Register an app's ``items(user)``; the apps' ``ready`` run in INSTALLED_APPS order, which is the
    list's order."""
    if items not in _providers:
        _providers.append(items)


def collect(user) -> list[TodoItem]:
    """Every app's items for the user, notices first, then by app order; items with count 0 are hidden."""
    found = [item for items in _providers for item in items(user) if item.count != 0]
    return sorted(found, key=lambda item: not item.is_notice)
