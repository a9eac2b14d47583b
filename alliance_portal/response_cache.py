"""Read responses kept in the cache until something they read is written.

A list or detail request of a signed-in user is computed once and then served from the cache while no
table its queries read has been written (``dashboards.invalidation.remembered_reads`` learns those tables
from the SQL; every INSERT, UPDATE and DELETE the ORM sends moves a table's generation). Nothing has to
remember to invalidate a response: a new member, a state change or an edited name retires every cached
response that read the table it was written to.

What is cached is what the request would compute, keyed by everything else it depends on:

- **who asks**: the user's own row as the authentication loaded it (id, organisation, district, flags,
  names: they decide the visibility and the page shows the names), and the user's roles (the group
  tables, read before the response's queries run). Another user's row matters only where a response's
  own SQL reads it, and is then learned like any other table: a sign-up or someone else's profile edit
  retires nothing else;
- the language, the local date (lists flag what is late relative to today), the scheme, host and full
  path with its query string.

Authentication, permissions and throttles still run on every request, before the cache is asked, so a
revoked token or a locked account is refused as before. Errors (404, 403, 400) are never cached.
Whole pages (``cached_page``) are kept with a placeholder where the CSRF token goes, and each request gets
its own token put in; a page with messages waiting, an htmx request or anything but a 200 is computed.
``RESPONSE_CACHE = False`` turns it off (the benchmark measures both); ``RESPONSE_CACHE_TTL`` bounds what a
write outside Django would leave.
"""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from rest_framework.response import Response

from dashboards import invalidation


@functools.cache
def _role_tables() -> tuple[str, ...]:
    user = get_user_model()
    return (user.groups.through._meta.db_table, user.user_permissions.through._meta.db_table,
            Group._meta.db_table, Group.permissions.through._meta.db_table)


@functools.cache
def _user_columns() -> tuple[str, ...]:
    """The user row's columns that a response may depend on: all but the password and the last sign-in."""
    return tuple(field.attname for field in get_user_model()._meta.concrete_fields
                 if field.attname not in ("password", "last_login"))


def _user_fingerprint(user) -> str:
    row = repr(tuple(getattr(user, column) for column in _user_columns()))
    return hashlib.sha256(row.encode()).hexdigest()[:16]


def request_key(request, kind: str) -> str:
    return "|".join(("response", kind, str(request.user.pk), _user_fingerprint(request.user), get_language() or "",
                     timezone.localdate().isoformat(), request.build_absolute_uri()))


def remembered_response(request, kind: str, compute: Callable):
    """``compute()`` for this request, or what it gave for the same request while nothing it read changed."""
    if not settings.RESPONSE_CACHE or not request.user.is_authenticated:
        return compute()
    return invalidation.remembered_reads(request_key(request, kind), compute, always=_role_tables(),
                                         timeout=settings.RESPONSE_CACHE_TTL)


def cached_read(view_method):
    """A DRF view method whose 200 response data comes from ``remembered_response``."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        return Response(remembered_response(request, "api", lambda: view_method(self, request, *args, **kwargs).data))

    return wrapper


class CachedReadMixin:
    """``list`` and ``retrieve`` of a read-only viewset through ``cached_read``."""

    @cached_read
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @cached_read
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


CSRF_PLACEHOLDER = "csrf-placeholder-7f3a9c41e2"  # stands for the request's own token in a cached page
# Parts of a page that are the requesting user's own and change far more often than the page: a cached page
# holds a placeholder, and each request renders them (cheaply) into it. The unread-notification bell: every
# workflow step notifies someone, and with the bell inside, each notification retired every cached page.
KEPT_OUT = {"notification_bell": "notifications/includes/bell.html"}


def _kept_out_placeholder(name: str) -> str:
    return f"<!--kept-out:{name}:7f3a9c41e2-->"


def csrf_placeholder(request):
    """Context processor (after Django's csrf one): a page rendered for the cache gets the placeholders of the
    request's CSRF token and of the parts kept out of it (``kept_out.<name>``, for the template to show)."""
    if not getattr(request, "_rendering_for_cache", False):
        return {}
    return {"csrf_token": CSRF_PLACEHOLDER,
            "kept_out": {name: mark_safe(_kept_out_placeholder(name)) for name in KEPT_OUT}}  # noqa: S308


class _NotKept(Exception):
    """The page is not one to keep (a redirect, an error, a cookie set): it is answered as computed."""

    def __init__(self, response):
        self.response = response


def _with_token(content: bytes, request) -> bytes:
    """A kept page made this request's own: its CSRF token, and the parts kept out rendered for it."""
    content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    for name, template in KEPT_OUT.items():
        placeholder = _kept_out_placeholder(name).encode()
        if placeholder in content:
            content = content.replace(placeholder, render_to_string(template, request=request).encode())
    return content


def cached_page(view):
    """A page view whose whole 200 page comes from ``remembered_response``, with this request's CSRF token."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or getattr(request, "htmx", False) or len(get_messages(request)):
            return view(request, *args, **kwargs)

        def compute():
            request._rendering_for_cache = True
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            finally:
                request._rendering_for_cache = False
            if response.status_code != 200 or response.streaming or response.cookies:
                raise _NotKept(response)
            return response.content, response["Content-Type"]

        try:
            content, content_type = remembered_response(request, "page", compute)
        except _NotKept as not_kept:
            response = not_kept.response
            if not response.streaming:
                response.content = _with_token(response.content, request)
            return response
        return HttpResponse(_with_token(content, request), content_type=content_type)

    return wrapper
