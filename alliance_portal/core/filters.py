"""Filters shared by the pages' and the API's FilterSets: every number a query string may carry is
bounded here, so that a page answers a bad value with a form error and the API with a 400, and no
value reaches the database that it cannot compare (a 20-digit id, year 0)."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from .converters import MAX_ID
from .pagination import ending_with_pk

YEAR_MIN, YEAR_MAX = 1900, 2100


class YearFilter(django_filters.NumberFilter):
    """A calendar year, 1900–2100: anything else is a 400 beside the field, never a date error (500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """An object's id (``?alliance=12``): a whole number a ``bigint`` column can hold, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the FilterSet it applied on the view (``view.applied_filterset``): a
    list reads its cleaned filters there to take its number of rows from a kept tally
    (``alliance_portal.core.pagination.PageFirstMixin.known_count``)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        view.applied_filterset = filterset
        return filterset.qs


class TotalOrderingFilter(django_filters.OrderingFilter):
    """The list pages' ``o``, ending with the primary key (``alliance_portal.core.pagination.ending_with_pk``)."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or () if param]
        return qs.order_by(*ending_with_pk(ordering)) if ordering else qs


class PlainSelect(forms.Select):
    """A select whose options are written in one pass rather than through one template each: the project
    list's alliance filter offers every alliance of the province (2,000 options), which took some 300 ms to
    render option by option. Same markup as Django's ``Select``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join("", "<option value=\"{}\"{}>{}</option>", (
            ("" if option["value"] is None else option["value"], " selected" if option["selected"] else "",
             option["label"])
            for _group, group_options, _index in widget["optgroups"] for option in group_options
        ))
        return format_html("<select name=\"{}\"{}>{}</select>", widget["name"], flatatt(widget["attrs"]), options)
