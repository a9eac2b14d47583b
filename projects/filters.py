"""The one FilterSet of the project lists: the page, its xlsx and CSV exports all use it."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.filters import PlainSelect, TotalOrderingFilter, YearFilter
from alliances.models import Alliance, Sector
from alliances.rules import sees_all_alliances

from .models import ChangeRequest, Project, ProjectKind
from .periods import grace_days, local_today
from .selectors import flags
from .workflow import RUNNING, ProjectState


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("title, approval number or alliance")}))
    sector = django_filters.ModelChoiceFilter(label=_("industry sector"), queryset=Sector.objects.all(),
                                              empty_label=_("all sectors"))
    kind = django_filters.ChoiceFilter(label=_("project kind"), choices=ProjectKind.choices, empty_label=_("all kinds"))
    state = django_filters.ChoiceFilter(label=_("state"), choices=ProjectState.choices, empty_label=_("all states"))
    year = YearFilter(label=_("year"), field_name="project_year", min_value=2000, max_value=2100)
    alliance = django_filters.ModelChoiceFilter(label=_("alliance"), queryset=Alliance.objects.none(),
                                                empty_label=_("all alliances"), widget=PlainSelect)
    changes = django_filters.ChoiceFilter(label=_("change requests"), method="with_changes",
                                          choices=[("pending", _("awaiting decision"))], empty_label=_("any"))
    reports = django_filters.ChoiceFilter(label=_("progress reports"), method="with_reports",
                                          choices=[("due", _("due or overdue"))], empty_label=_("any"))
    late = django_filters.BooleanFilter(label=_("late only"), method="late_only", widget=forms.CheckboxInput)
    followed = django_filters.ChoiceFilter(label=_("alliances followed"), method="followed_by_user",
                                           choices=[("mine", _("the alliances I follow as liaison officer"))],
                                           empty_label=_("any"))
    o = TotalOrderingFilter(
        label=_("sort by"),
        fields=(("approval_number", "number"), ("title", "title"), ("alliance__name", "alliance"),
                ("start_date", "start"), ("end_date", "end"), ("total_investment", "investment"),
                ("state", "state"), ("project_year", "year")),
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        alliances = Alliance.objects.visible_to(user).order_by("name")
        if sees_all_alliances(user):
            # A province's 2,000 alliances are no list to choose from, and writing them out cost a third of
            # the page: the bureau's filter offers the alliance asked for (a link from the alliance's page),
            # and the search finds any alliance by its name.
            chosen = str((data or {}).get("alliance") or "")
            alliances = alliances.filter(pk=int(chosen)) if chosen.isdigit() and len(chosen) <= 18 else \
                alliances.none()
        self.filters["alliance"].queryset = alliances

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(approval_number__icontains=value)
                               | Q(alliance__name__icontains=value))

    def late_only(self, queryset, name, value):
        return queryset.filter(flags()["late"]) if value else queryset

    def followed_by_user(self, queryset, name, value):
        """The projects of the alliances the user follows as their liaison officer (科技联络员)."""
        return queryset.filter(alliance__supervision__liaison_officer=self.user) if value == "mine" else queryset

    def with_changes(self, queryset, name, value):
        if value != "pending":
            return queryset
        pending = ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).values("project_id")
        return queryset.filter(pk__in=pending)

    def with_reports(self, queryset, name, value):
        if value != "due":
            return queryset
        soon = local_today() + timedelta(days=grace_days())
        return queryset.filter(state__in=RUNNING, next_report_due__lte=soon)

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("-created_at", "-pk")
        return queryset
