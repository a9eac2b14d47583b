"""Pagination of the API and the list pages: ``?page=`` and ``?page_size=``, capped, with a cached row count.

A paginated list asks the database for ``COUNT(*)`` on every request; at province scale that count
costs as much as the page itself. ``CachedCountPaginator`` keeps each count in the cache, keyed by the
SQL that selects the list's rows (so by who is asking and with which filters: visibility is part of the
SQL) and valid while none of the tables that SQL reads has been written (``dashboards.invalidation``). The
count shown is therefore never stale; ``COUNT_TTL`` only bounds what a write outside Django would leave.

Its own module because DRF reads the pagination class from the settings while importing its generic
views: this module must import nothing that imports them.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import NotSupportedError
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from dashboards import invalidation

MAX_PAGE_SIZE = 100
COUNT_TTL = 10 * 60


def _rows_sql(queryset) -> tuple[str, tuple]:
    """The SQL that says which rows the queryset holds: its joins, filters, grouping and DISTINCT, without
    the columns, annotations and ordering of the list (compiling those costs milliseconds; this, 0.1 ms)."""
    try:
        query = queryset.order_by().values("pk").query
    except (NotSupportedError, TypeError):  # combined querysets (union …): the whole statement, then
        query = queryset.query
    return query.get_compiler(queryset.db).as_sql()


def cached_count(queryset, count) -> int:
    """``count()`` for ``queryset``, remembered per SQL statement until a table it reads is written."""
    if getattr(queryset, "query", None) is None:
        return count()
    try:
        sql, params = _rows_sql(queryset)
    except EmptyResultSet:
        return 0
    return invalidation.remembered(f"count|{queryset.db}|{sql}|{params!r}", invalidation.tables_in(sql), count,
                                   timeout=COUNT_TTL, using=queryset.db)


class CachedCountPaginator(Paginator):
    """Django's paginator, with ``count`` from the cache (see the module's docstring)."""

    @cached_property
    def count(self):
        return cached_count(self.object_list, lambda: Paginator.count.func(self))


class PortalPagination(PageNumberPagination):
    """20 rows a page by default, at most ``MAX_PAGE_SIZE``; the count is cached."""

    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
