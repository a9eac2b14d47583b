"""The alliance list's filters and sorting: one FilterSet for the page, its exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reviews.workflow import State

from . import credit_code
from .models import Alliance, District, Sector


class AllianceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Alliance, chairman unit or credit code"),
                                      "type": "search"}),
    )
    sector = django_filters.ModelChoiceFilter(label=_("industry sector"), queryset=Sector.objects.all(),
                                              empty_label=pgettext_lazy("filter", "All sectors"))
    state = django_filters.ChoiceFilter(label=_("state"), choices=State.choices,
                                        empty_label=pgettext_lazy("filter", "All states"))
    district = django_filters.ModelChoiceFilter(label=_("district of the chairman unit"),
                                                field_name="chairman__district", queryset=District.objects.all(),
                                                empty_label=pgettext_lazy("filter", "All districts"))
    o = django_filters.OrderingFilter(
        fields=(
            ("name", "name"), ("sector__position", "sector"), ("chairman__name", "chairman"), ("state", "state"),
            ("confirmed_members", "members"), ("current_version", "version"), ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Alliance
        fields = ["q", "sector", "state", "district"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value) | Q(chairman__name__icontains=value)
        code = credit_code.normalise(value)
        if code.isalnum() and len(code) >= 4:
            condition |= Q(chairman__credit_code__icontains=code)
        return queryset.filter(condition)

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.is_valid() or not self.form.cleaned_data.get("o"):
            queryset = queryset.order_by("-updated_at", "-pk")
        return queryset
