"""The lists behind the dashboard's numbers.

Each dataset is one API list: its visible queryset, its FilterSet (the API's own, so a number and the
list it links to are filtered by the same code) and the columns the dashboard's list page and its
Excel export show. ``scope`` turns the dashboard's filters (sector, district, year) into that list's
query parameters; what "year" means differs per list and is stated here once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alliances.api import (
    AllianceFilter,
    DesignationLevel,
    OrganisationFilter,
    alliance_rows,
    visible_organisations,
    with_list_columns,
)
from alliances.models import Alliance
from assessments.api import AssessmentFilter
from assessments.models import LifecycleStage
from assessments.selectors import rounds_visible_to
from projects.api import ActivityFilter, ProgressReportFilter, ProjectApiFilter
from projects.models import Activity, ProgressReport, Project
from projects.selectors import project_rows, with_monitoring
from reviews.api import DesignationFilter
from reviews.models import Designation


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # row -> value shown (and exported)
    link: Callable | None = None  # row -> URL of the row's own page, or None


def _as_is(queryset):
    return queryset


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    api_path: str
    queryset: Callable  # user -> visible queryset, as lean as the API list's rows (what filters use, as aliases)
    filterset: type
    scope: Callable  # DashboardFilters -> {param: value}
    columns: tuple[Column, ...] = field(default_factory=tuple)
    ordering: tuple[str, ...] = ("-pk",)
    shown: Callable = _as_is  # queryset -> the same rows with what the columns show (joins, annotations)

    def bound(self, user, params: dict):
        """The list's filters bound to ``params`` (as ``/api/v1/<api_path>/?<params>``), for ``user``; raises
        ValueError when they are not valid."""
        if not isinstance(params, QueryDict):
            query = QueryDict(mutable=True)
            for key, value in params.items():
                query.setlist(key, value if isinstance(value, list) else [value])
            params = query
        filterset = self.filterset(data=params, queryset=self.queryset(user),
                                   request=SimpleNamespace(user=user, query_params=params))
        if not filterset.is_valid():
            raise ValueError(f"invalid parameters for {self.name}: {filterset.errors.as_json()}")
        return filterset

    def filtered(self, user, params: dict):
        """The rows of the list at ``/api/v1/<api_path>/?<params>``, for ``user``."""
        return self.bound(user, params).qs


def described(filterset) -> list[tuple[str, str]]:
    """The filters in use as a reader says them: (the field's label, the value's display), in form order."""
    form, said = filterset.form, []
    for name, form_field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        # a model choice's value is its object (listing its choices would read the whole table)
        choices = {} if hasattr(form_field, "queryset") else dict(getattr(form_field, "choices", ()) or ())
        if isinstance(value, list | tuple):
            shown = "、".join(str(choices.get(str(v), v)) for v in value)
        elif isinstance(value, bool):
            shown = gettext("yes") if value else gettext("no")
        else:
            shown = str(choices.get(str(value), choices.get(value, value)))
        said.append((str(form_field.label or name), shown))
    return said


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _date(value):
    return value.strftime("%Y-%m-%d") if value else ""


def _year_end(filters) -> str:
    return f"{filters.year}-12-31"


def _common(filters) -> dict:
    params = {}
    if filters.sector is not None:
        params["sector"] = str(filters.sector.pk)
    if filters.district is not None:
        params["district"] = str(filters.district.pk)
    return params


def _scope_existing(before_param):
    """Stock lists: what existed by the end of the year chosen."""
    def scope(filters):
        params = _common(filters)
        if filters.year:
            params[before_param] = _year_end(filters)
        return params
    return scope


def _scope_year(filters):
    """Event lists: what happened in the year chosen."""
    params = _common(filters)
    if filters.year:
        params["year"] = str(filters.year)
    return params


def _member_units_scope(filters):
    return {**_scope_existing("registered_before")(filters), "member_of_alliance": "true"}


ALLIANCE_COLUMNS = (
    Column(_("alliance"), lambda a: a.name, lambda a: _url("alliances:detail", a.pk)),
    Column(_("industry sector"), lambda a: a.sector.name),
    Column(_("chairman unit"), lambda a: a.chairman.name),
    Column(_("district"), lambda a: a.chairman.district.name),
    Column(_("state"), lambda a: a.get_state_display()),
    Column(_("designation"), lambda a: dict(_designation_labels()).get(a.designation_level, "")),
    Column(_("life-cycle stage"), lambda a: LifecycleStage.Stage(a.lifecycle_stage).label if a.lifecycle_stage else ""),
    Column(_("member units"), lambda a: a.member_count),
    Column(_("created at"), lambda a: _date(a.created_at)),
)


def _designation_labels():
    return [(value, str(label)) for value, label in DesignationLevel.CHOICES]


DATASETS = {
    dataset.name: dataset for dataset in (
        Dataset(
            "alliances", _("Alliances"), "alliances", alliance_rows, AllianceFilter,
            _scope_existing("created_before"), ALLIANCE_COLUMNS, ("-created_at", "-pk"), with_list_columns,
        ),
        Dataset(
            "organisations", pgettext_lazy("dashboard", "Member units"), "organisations",
            visible_organisations, OrganisationFilter,
            _member_units_scope,
            (
                Column(_("member unit"), lambda o: o.name),
                Column(_("kind"), lambda o: o.get_kind_display()),
                Column(_("unified social credit code"), lambda o: o.credit_code),
                Column(_("district"), lambda o: o.district.name),
                Column(_("certified high-tech enterprise"), lambda o: _("yes") if o.is_high_tech else ""),
            ),
            ("name", "pk"), lambda queryset: queryset.select_related("district"),
        ),
        Dataset(
            "designations", _("Designations"), "designations",
            lambda user: Designation.objects.filter(alliance__in=Alliance.objects.visible_to(user).values("pk")),
            DesignationFilter, _scope_year,
            (
                Column(_("certificate number"), lambda d: d.certificate_number),
                Column(_("alliance"), lambda d: d.alliance.name, lambda d: _url("alliances:detail", d.alliance_id)),
                Column(_("industry sector"), lambda d: d.alliance.sector.name),
                Column(_("level"), lambda d: d.get_level_display()),
                Column(_("designated at"), lambda d: _date(d.designated_at)),
                Column(_("revoked at"), lambda d: _date(d.revoked_at)),
            ),
            ("-designated_at", "-pk"), lambda queryset: queryset.select_related("alliance__sector", "alliance__chairman"),
        ),
        Dataset(
            "projects", _("Projects"), "projects", project_rows, ProjectApiFilter, _scope_year,
            (
                Column(_("project"), lambda p: p.title, lambda p: _url("projects:detail", p.pk)),
                Column(_("approval number"), lambda p: p.approval_number or ""),
                Column(_("alliance"), lambda p: p.alliance.name),
                Column(_("project kind"), lambda p: p.get_kind_display()),
                Column(_("state"), lambda p: p.get_state_display()),
                Column(_("total investment (10k CNY)"), lambda p: p.total_investment),
                Column(_("completed investment (10k CNY)"),
                       lambda p: p.latest_report.completed_investment if p.latest_report_id else 0),
                Column(_("next report due"), lambda p: _date(p.next_report_due)),
            ),
            ("-created_at", "-pk"), with_monitoring,
        ),
        Dataset(
            "progress-reports", _("Progress reports"), "progress-reports",
            lambda user: ProgressReport.objects.filter(project__in=Project.objects.visible_to(user).values("pk")),
            ProgressReportFilter, _scope_year,
            (
                Column(_("project"), lambda r: r.project.title, lambda r: _url("projects:report_detail", r.pk)),
                Column(_("period"), lambda r: f"{_date(r.period_start)} – {_date(r.period_end)}"),
                Column(_("new investment in the period (10k CNY)"), lambda r: r.investment_increase),
                Column(_("completed investment (10k CNY)"), lambda r: r.completed_investment),
                Column(_("late"), lambda r: _("yes") if r.is_late else ""),
                Column(_("submitted at"), lambda r: _date(r.submitted_at)),
            ),
            ("-submitted_at", "-pk"), lambda queryset: queryset.select_related("project"),
        ),
        Dataset(
            "activities", _("Activities"), "activities",
            lambda user: Activity.objects.filter(alliance__in=Alliance.objects.visible_to(user).values("pk")),
            ActivityFilter, _scope_year,
            (
                Column(_("date"), lambda a: _date(a.date)),
                Column(_("activity"), lambda a: a.title),
                Column(_("kind of activity"), lambda a: a.get_kind_display()),
                Column(_("alliance"), lambda a: a.alliance.name, lambda a: _url("alliances:detail", a.alliance_id)),
                Column(_("number of participants"), lambda a: a.participant_count),
            ),
            ("-date", "-pk"), lambda queryset: queryset.select_related("alliance"),
        ),
        Dataset(
            "assessments", pgettext_lazy("dashboard", "Assessments"), "assessments",
            lambda user: rounds_visible_to(user).select_related("alliance"), AssessmentFilter, _scope_year,
            (
                Column(_("alliance"), lambda r: r.alliance.name, lambda r: _url("assessments:detail", r.pk)),
                Column(_("kind"), lambda r: r.get_kind_display()),
                Column(pgettext_lazy("assessment", "status"), lambda r: r.get_status_display()),
                Column(_("self-assessment due"), lambda r: _date(r.self_assessment_due)),
                Column(_("grade"), lambda r: r.get_grade_display()),
                Column(_("outcome"), lambda r: r.get_outcome_display()),
            ),
            ("-opened_at", "-pk"),
        ),
    )
}
