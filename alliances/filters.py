"""The alliance list's filters and sorting: one FilterSet for the page, its exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance_portal.core.filters import TotalOrderingFilter
from alliances.workflow import State
from calls.models import Call
from calls.selectors import FUNNEL_CHOICES, FUNNEL_FILTER_LABELS, reached

from . import credit_code
from .models import Alliance, District, Sector


def _choices(model) -> list[tuple[int, str]]:
    return [(row.pk, str(row)) for row in model.objects.all()]


class AllianceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Alliance, chairman unit or credit code"),
                                      "type": "search"}),
    )
    sector = django_filters.ChoiceFilter(label=_("industry sector"), choices=lambda: _choices(Sector),
                                         empty_label=pgettext_lazy("filter", "All sectors"))
    state = django_filters.ChoiceFilter(label=_("state"), choices=State.choices,
                                        empty_label=pgettext_lazy("filter", "All states"))
    district = django_filters.ChoiceFilter(label=_("district of the chairman unit"), field_name="chairman_district",
                                           choices=lambda: _choices(District),
                                           empty_label=pgettext_lazy("filter", "All districts"))
    # The call page's funnel links here: the applications of a call that reached a step (申报漏斗).
    call = django_filters.ModelChoiceFilter(label=FUNNEL_FILTER_LABELS["call"], queryset=Call.objects.all(),
                                            empty_label=FUNNEL_FILTER_LABELS["all_calls"])
    reached = django_filters.ChoiceFilter(label=FUNNEL_FILTER_LABELS["reached"], choices=FUNNEL_CHOICES,
                                          method="filter_reached", empty_label=FUNNEL_FILTER_LABELS["any_step"])
    o = TotalOrderingFilter(
        fields=(
            ("name", "name"), ("sector__position", "sector"), ("chairman__name", "chairman"), ("state", "state"),
            ("confirmed_members", "members"), ("current_version", "version"), ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Alliance
        fields = ["q", "sector", "state", "district", "call", "reached"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value) | Q(chairman__name__icontains=value)
        code = credit_code.normalise(value)
        if code.isalnum() and len(code) >= 4:
            condition |= Q(chairman__credit_code__icontains=code)
        return queryset.filter(condition)

    def filter_reached(self, queryset, name, value):
        return queryset.filter(reached(value)) if value else queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.is_valid() or not self.form.cleaned_data.get("o"):
            queryset = queryset.order_by("-updated_at", "-pk")
        return queryset
