"""Filters shared by the apps' API FilterSets."""

import django_filters
from django import forms


class YearFilter(django_filters.NumberFilter):
    """A calendar year, 1900–2100: anything else is a 400 beside the field, never a date error (500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
