"""Pagination of the API and the list pages: the page is found on lean rows, then its rows are loaded.

A list's filters, sort order and page are decided on the rows' ids alone (``values_list("pk")``: the
columns it filters and sorts by, nothing else), and what the page shows (joined names, counts, flags) is
computed for the page's rows only (``page_of_rows``). Computed before the LIMIT, those columns cost a
subquery or a join for every row skipped by the OFFSET: page 150 of a sector's projects cost 105 ms
against 8 ms for page 1.

Its own module because DRF reads the pagination class from the settings while importing its generic
views: this module must import nothing that imports them.
"""

from django.core.paginator import Page, Paginator
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 100


class PortalPaginator(Paginator):
    """Django's paginator, reading a page past the middle from the other end: in the reversed order, with
    the smaller OFFSET. The last page then costs what the first costs (the database walks past the rows
    before the OFFSET one by one). The list's order must be total (ending with the primary key), or a
    reversed page could hold other rows than the forward one; ``TotalOrderingFilter`` sees to it."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom <= self.count // 2 or not getattr(self.object_list, "ordered", False):
            return super().page(number)
        rows = list(self.object_list.reverse()[self.count - top:self.count - bottom])
        rows.reverse()
        return Page(rows, number, self)


def ending_with_pk(ordering):
    """``ordering`` with the primary key last (in the last field's direction), unless it holds it already: ties
    are then always in the same order, so pages neither repeat nor skip rows (and ``PortalPaginator`` can
    read a page from either end)."""
    if not ordering or {"pk", "-pk", "id", "-id"} & set(ordering):
        return ordering
    return [*ordering, "-pk" if ordering[-1].startswith("-") else "pk"]


class TotalOrderingFilter(OrderingFilter):
    """DRF's ``ordering``, ending with the primary key (``ending_with_pk``)."""

    def get_ordering(self, request, queryset, view):
        return ending_with_pk(super().get_ordering(request, queryset, view))


class KeysetPagination(CursorPagination):
    """``?cursor=``: the list walked in its default order, each page found from where the previous one ended
    (keyset pagination), so that a client walking every page pays the same for the last as for the first. The
    filters apply; ``ordering`` does not (a cursor holds its position in one order)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "ordering", None) or ("-pk",)
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)


class PortalPagination(PageNumberPagination):
    """Page numbers for people (``?page=``, 20 rows by default, at most ``MAX_PAGE_SIZE``); a cursor for clients
    that walk everything (``?cursor=``, empty for the first page; the answer's ``next`` carries on)."""

    django_paginator_class = PortalPaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    keyset = None

    @staticmethod
    def walks(request) -> bool:
        return KeysetPagination.cursor_query_param in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        if self.walks(request):
            self.keyset = KeysetPagination()
            return self.keyset.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["results"]
        paginated["properties"]["count"]["description"] = "Rows in the list (page numbers only: not with a cursor)."
        return paginated

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view),
                *KeysetPagination().get_schema_operation_parameters(view)[:1]]


class Counted:
    """A list's ids whose number is known beforehand (read off a tally kept in the same transaction as the rows,
    e.g. ``projects.tally.list_count``): the paginator asks it instead of counting the rows. Only what the
    paginators use of a queryset: ``count``, slices, ``ordered`` and ``reverse``."""

    def __init__(self, rows, count: int):
        self.rows, self.known = rows, count

    @property
    def ordered(self):
        return self.rows.ordered

    def count(self) -> int:
        return self.known

    def reverse(self):
        return Counted(self.rows.reverse(), self.known)

    def __getitem__(self, key):
        return self.rows[key]


def counted(rows, count: int | None):
    """``rows``, with their number when it is known (``Counted``)."""
    return rows if count is None else Counted(rows, count)


def page_of_rows(ids, shown) -> list:
    """The rows with ``ids``, in that order, loaded from ``shown`` (a queryset with what the page shows)."""
    ids = list(ids)
    found = shown.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def shown_page(rows, number, shown, per_page: int = 20, count: int | None = None):
    """Page ``number`` of a list page: found on the ids of ``rows`` (filtered and sorted), its rows loaded
    from ``shown`` (a queryset with what the page shows). An invalid number gives the nearest page. ``count``:
    the number of ``rows`` where it is known without counting them (``Counted``)."""
    page = PortalPaginator(counted(rows.values_list("pk", flat=True), count), per_page).get_page(number)
    page.object_list = page_of_rows(page.object_list, shown)
    return page


class PageFirstMixin:
    """A read-only viewset whose ``list`` pages the ids of ``rows()`` (filtered and sorted) and serializes
    the page's rows from ``shown()``; ``retrieve`` reads ``shown()`` narrowed to ``visible()``.

    ``rows()`` holds the visibility and, as ``alias()``, whatever a filter or sort order may use;
    ``shown(queryset)`` adds what the serializer reads (``select_related``, ``annotate``)."""

    def rows(self):
        raise NotImplementedError

    def visible(self):
        """What ``retrieve`` narrows to an id: the rows the user may see, without what only the list's filters
        and sort orders use (default: ``rows()``)."""
        return self.rows()

    def shown(self, queryset):
        return queryset

    def known_count(self) -> int | None:
        """The number of rows the filters leave, where it is known without counting them (a kept tally);
        ``None``: the paginator counts. The FilterSet applied is ``self.applied_filterset``
        (``alliance_portal.core.filters.FilterBackend``)."""
        return None

    def get_queryset(self):
        return self.rows() if self.action == "list" else self.shown(self.visible())

    def filter_queryset(self, queryset):
        """The filters, search and sort orders are the list's: an object found by its id is found without them."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if PortalPagination.walks(request):  # the cursor reads its position off the rows themselves
            page = self.paginate_queryset(queryset)
            ids = None if page is None else [row.pk for row in page]
        else:
            ids = self.paginate_queryset(counted(queryset.values_list("pk", flat=True), self.known_count()))
        if ids is None:
            return Response(self.get_serializer(self.shown(queryset), many=True).data)
        rows = page_of_rows(ids, self.shown(queryset.model.objects.all()))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
