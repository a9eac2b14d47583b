"""Hostile numbers in query strings and paths are the request's fault, never the server's (issue 18, finding 3).

Every list page (every URL of the resolver without arguments, and every dashboard row list) is asked with
each of its GET form's filters set to an overflowing, negative, zero, too-large, non-numeric or NUL value,
as an officer, a member unit and an administrator; every URL pattern with a numeric path segment (Django's
admin included) is asked with those values in each such segment. No answer is a 500: a bad filter is a
form error or a 400, a number no row can have is a 404.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from dashboards.datasets import DATASETS

from . import world as world_module
from .conftest import settle

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

OVERFLOW = "9" * 20
HOSTILE_QUERY_VALUES = (OVERFLOW, "-1", "0", "10000", "abc", "1\x00")
HOSTILE_PATH_VALUES = (OVERFLOW, "9223372036854775808", "2147483648", "-1", "abc", "1%00")
# Query parameters every list may be given by a link even where its form does not show them.
COMMON_PARAMETERS = ("page", "year", "sector", "district", "alliance", "o")
DIGITS = re.compile(r"^\[0-9\][+*]|^\\d[+*]|^\[0-9\]\{")


class _GetFormFields(HTMLParser):
    """The names of the fields of every GET form (the filters above a list)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.names, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("method") or "get").lower() == "get"
        elif (self.inside and tag in ("input", "select", "textarea") and a.get("name")
              and (a.get("type") or "").lower() not in ("submit", "button", "reset", "image")):
            self.names.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def filter_names(html: str) -> list[str]:
    parser = _GetFormFields()
    parser.feed(html)
    return list(dict.fromkeys(parser.names))


class Failures:
    def __init__(self):
        self.found, self.current = [], None
        got_request_exception.connect(self._record)

    def _record(self, sender, request=None, **kwargs):
        import sys

        self.found.append((request.get_full_path() if request else "?", repr(sys.exc_info()[1])[:200]))

    def close(self):
        got_request_exception.disconnect(self._record)


def _last_resort(caplog) -> list[str]:
    """What only ``alliance_portal.core.middleware.OutOfRangeMiddleware`` caught (it logs each)."""
    return [record.getMessage() for record in caplog.records if record.name == "alliance_portal.out_of_range"]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _list_pages() -> list[str]:
    return world_module.plain_pages() + [f"/dashboards/rows/{name}/" for name in DATASETS]


def _numeric_routes(patterns=None, prefix="", namespace=""):
    """Every route of the resolver with a numeric segment: (name, route, [numeric segment names])."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _numeric_routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            converters = getattr(entry.pattern, "converters", {})
            numeric = [name for name, converter in converters.items() if DIGITS.match(converter.regex)]
            numeric += re.findall(r"<path:(object_id)>", route)  # the admin's object ids
            if numeric:
                yield f"{namespace}{entry.name}", route, numeric


def _known_kwargs(world) -> dict:
    """URL name → the keyword arguments of organisation A's real objects (so that the other segments of a
    URL find their rows and the hostile segment is the one the view has to deal with)."""
    known = world_module._page_kwargs(world.objects)
    for basename, pk in world_module._api_ids(world.objects).items():
        for action in ("detail", "transition", "history", "submit", "withdraw", "decide", "respond"):
            known.setdefault(f"api:{basename}-{action}", {"pk": pk})
    return known


def _fill(route: str, kwargs: dict) -> str:
    def one(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name in kwargs:
            return quote(str(kwargs[name]), safe="%")
        return "x" if converter in ("str", "slug") else "1"
    url = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", one, route)
    return url.replace("^", "").replace("$", "").replace("\\Z", "")


def test_hostile_numbers_in_list_filters_are_never_a_500(officer, admin_user, report, caplog):
    world = world_module.build()
    people = {"officer": officer, "member": world.people["owner"]}
    failures, asked = Failures(), 0
    try:
        for role, user in people.items():  # the administrator: the pages of a superuser
            client = _client(user)
            for page in _list_pages():
                response = settle(client.get(page))
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                names = dict.fromkeys([*filter_names(response.content.decode()), *COMMON_PARAMETERS])
                for name in names:
                    for value in HOSTILE_QUERY_VALUES:
                        response = settle(client.get(f"{page}?{urlencode({name: value})}"))
                        asked += 1
                        if response.status_code >= 500:
                            failures.found.append((f"{role} {page}?{name}={value!r}", response.status_code))
    finally:
        failures.close()
    report(f"{asked} list requests with hostile filter values, {len(failures.found)} server errors")
    assert failures.found == [], "\n".join(map(str, failures.found))
    assert _last_resort(caplog) == []  # every filter bounds its own numbers


def test_hostile_numbers_in_every_numeric_path_segment_are_never_a_500(officer, admin_user, report, caplog):
    world = world_module.build()
    known = _known_kwargs(world)
    routes = list(_numeric_routes())
    assert len(routes) >= 60
    failures, asked = Failures(), 0
    try:
        for user in (world.people["owner"], admin_user):
            client = _client(user)
            for name, route, segments in routes:
                for segment in segments:
                    for value in HOSTILE_PATH_VALUES:
                        url = _fill(route, {**known.get(name, {}), segment: value})
                        response = settle(client.get(url))
                        if response.status_code == 405:
                            response = settle(client.post(url, {}))
                        asked += 1
                        if response.status_code >= 500:
                            failures.found.append((url, response.status_code))
    finally:
        failures.close()
    report(f"{len(routes)} numeric routes, {asked} requests, {len(failures.found)} server errors")
    assert failures.found == [], "\n".join(map(str, failures.found))
    assert _last_resort(caplog) == []  # the path converters refuse them first


def _admin_changelists(patterns=None):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver) and (patterns is not None or entry.namespace == "admin"):
            yield from _admin_changelists(entry.url_patterns)
        elif isinstance(entry, URLPattern) and patterns is not None and (entry.name or "").endswith("_changelist"):
            yield reverse(f"admin:{entry.name}")


def test_hostile_dates_in_admin_list_filters_are_never_a_500(admin_user, report, caplog):
    """Django's admin (third-party apps' admins too): the date hierarchy's year, month and day."""
    client = _client(admin_user)
    failures, asked, hierarchies = Failures(), 0, 0
    try:
        for url in dict.fromkeys(_admin_changelists()):
            model_admin = resolve(url).func.model_admin
            field = model_admin.date_hierarchy
            names = [f"{field}__year", f"{field}__month", f"{field}__day"] if field else []
            hierarchies += bool(field)
            for name in [*names, "p", "o"]:
                for value in HOSTILE_QUERY_VALUES:
                    query = {name: value} if name.endswith("__year") or not field else {f"{field}__year": "2026",
                                                                                        name: value}
                    response = settle(client.get(f"{url}?{urlencode(query)}"))
                    asked += 1
                    if response.status_code >= 500:
                        failures.found.append((f"{url}?{urlencode(query)}", response.status_code))
    finally:
        failures.close()
    report(f"{hierarchies} admin date hierarchies, {asked} requests, {len(failures.found)} server errors, "
           f"{len(_last_resort(caplog))} answered 400 by the last resort")
    assert hierarchies >= 3
    assert failures.found == [], "\n".join(map(str, failures.found))
