"""The bureau dashboard page, the lists behind its numbers, and Excel exports of its tables."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import xlsxwriter
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from rules.contrib.views import permission_required

from alliance_portal.core.pagination import shown_page

from .datasets import DATASETS, described
from .forms import DashboardFilterForm
from .selectors import Board

ROWS_PER_PAGE = 50
EXPORT_MAX_ROWS = 20000


def _board(request) -> tuple[DashboardFilterForm, Board]:
    form = DashboardFilterForm(request.GET or None)
    return form, Board(request.user, form.to_filters())


def _link(figure) -> str:
    url = reverse("dashboards:rows", args=[figure.dataset])
    return url + (f"?{urlencode(figure.params)}" if figure.params else "")


def _number(value):
    if isinstance(value, Decimal):
        return float(value)  # for the chart library only; tables and exports keep the Decimal
    return value


def _chart(title, figures, kind="bar"):
    return {"title": str(title), "type": kind, "labels": [f.label for f in figures],
            "values": [_number(f.value) for f in figures], "links": [_link(f) for f in figures]}


def _charts(summary, series) -> dict:
    alliances, units, projects = summary["alliances"], summary["member_units"], summary["projects"]
    by_quarter = series["by_quarter"]
    return {
        "alliances-by-state": _chart(_("Alliances by state"), [f for f in alliances["by_state"] if f.value]),
        "alliances-by-level": _chart(_("Alliances by designation level"), alliances["by_designation_level"], "pie"),
        "alliances-by-sector": _chart(_("Alliances by industry sector"), alliances["by_sector"]),
        "alliances-by-stage": _chart(_("Alliances by life-cycle stage"), alliances["by_lifecycle_stage"], "pie"),
        "units-by-kind": _chart(_("Member units by kind"), units["by_kind"], "pie"),
        "projects-by-kind": _chart(_("Projects by kind"), projects["by_kind"]),
        "projects-by-state": _chart(_("Projects by state"), [f for f in projects["by_state"] if f.value]),
        "outputs": _chart(_("Outputs"), projects["outputs"]),
        "series": {
            "title": str(_("By quarter")), "type": "series",
            "labels": [f"{p['year']}Q{p['quarter']}" for p in by_quarter],
            "series": [
                {"name": str(_("Designations")), "values": [p["designations"].value for p in by_quarter],
                 "links": [_link(p["designations"]) for p in by_quarter]},
                {"name": str(_("Projects approved")), "values": [p["projects_approved"].value for p in by_quarter],
                 "links": [_link(p["projects_approved"]) for p in by_quarter]},
                {"name": str(_("Investment completed (10k CNY)")), "axis": 1,
                 "values": [_number(p["investment_completed"].value) for p in by_quarter],
                 "links": [_link(p["investment_completed"]) for p in by_quarter]},
            ],
        },
    }


@permission_required("dashboards.view_dashboard", raise_exception=True)
def dashboard(request):
    """The dispatch dashboard (调度看板): every number links to the list it counts."""
    form, board = _board(request)
    summary, series = board.summary(), board.time_series()
    context = {
        "form": form,
        "filters": board.filters,
        "query": urlencode(board.filters.as_query()),
        "summary": summary,
        "series": series,
        "sectors": board.breakdown("sector"),
        "districts": board.breakdown("district"),
        "watch": board.watch_list(),
        "charts": _charts(summary, series),
    }
    return render(request, "dashboards/dashboard.html", context)


@permission_required("dashboards.view_dashboard", raise_exception=True)
def rows(request, dataset: str):
    """The list behind a dashboard number: the API list's rows, filtered by the same FilterSet."""
    spec = DATASETS.get(dataset)
    if spec is None:
        raise Http404
    params = request.GET.copy()
    for control in ("page", "export"):
        params.pop(control, None)
    try:
        filterset = spec.bound(request.user, params)
    except ValueError:
        return render(request, "dashboards/rows.html", {"spec": spec, "invalid": True}, status=400)
    queryset = filterset.qs.order_by(*spec.ordering)
    if request.GET.get("export") == "xlsx":
        rows_out = [[_cell(column.value(row)) for column in spec.columns]
                    for row in spec.shown(queryset)[:EXPORT_MAX_ROWS]]
        return _xlsx(f"{dataset}", [str(column.header) for column in spec.columns], rows_out, title=spec.label)
    page = shown_page(queryset, request.GET.get("page"), spec.shown(queryset.model.objects.all()), ROWS_PER_PAGE)
    table = [[(column.value(row), column.link(row) if column.link else None) for column in spec.columns]
             for row in page]
    return render(request, "dashboards/rows.html", {
        "spec": spec, "page": page, "table": table, "filters": described(filterset), "query": params.urlencode(),
        "api_url": f"/api/v1/{spec.api_path}/" + (f"?{params.urlencode()}" if params else ""),
    })


@permission_required("dashboards.view_dashboard", raise_exception=True)
def export_table(request, table: str):
    """One table of the dashboard as an Excel workbook, with exactly the numbers shown."""
    _form, board = _board(request)
    builders = {
        "alliances": lambda: _figure_rows(board.alliances(), ("by_state", "by_designation_level", "by_sector",
                                                               "by_lifecycle_stage")),
        "member-units": lambda: _figure_rows(board.member_units(), ("by_kind",), ("enterprises",
                                                                                  "technical_support_units")),
        "projects": lambda: _figure_rows(board.projects(), ("by_kind", "by_state", "outputs"),
                                         ("approved", "started", "total_investment", "completed_investment")),
        "time-series": lambda: _series_rows(board.time_series()),
        "sectors": lambda: _breakdown_rows(board.breakdown("sector"), _("Industry sector")),
        "districts": lambda: _breakdown_rows(board.breakdown("district"), _("District")),
        "watch-list": lambda: _watch_rows(board.watch_list()),
    }
    if table not in builders:
        raise Http404
    headers, body = builders[table]()
    return _xlsx(f"dashboard-{table}", headers, body, title=TABLE_TITLES[table])


TABLE_TITLES = {
    "alliances": gettext_lazy("Alliances"), "member-units": pgettext_lazy("dashboard", "Member units"),
    "projects": gettext_lazy("Projects"), "time-series": pgettext_lazy("dashboard", "By year and quarter"),
    "sectors": gettext_lazy("Industry sector"), "districts": gettext_lazy("District"),
    "watch-list": gettext_lazy("Watch list"),
}


def _sheet_name(title: str) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet1"


# --- Excel ---------------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, Decimal | int | float) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


GROUPS = {
    "by_state": pgettext_lazy("dashboard group", "By state"),
    "by_designation_level": pgettext_lazy("dashboard group", "By designation level"),
    "by_sector": pgettext_lazy("dashboard group", "By industry sector"),
    "by_lifecycle_stage": pgettext_lazy("dashboard group", "By life-cycle stage"),
    "by_kind": pgettext_lazy("dashboard group", "By kind"),
    "outputs": pgettext_lazy("dashboard group", "Outputs"),
}


def _figure_rows(section, groups, singles=()):
    body = []
    for name in singles:
        figure = section[name]
        body.append(["", figure.label, _cell(figure.value)])
    for group in groups:
        for figure in section[group]:
            body.append([str(GROUPS[group]), figure.label, _cell(figure.value)])
    return [_("Group"), _("Item"), _("Value")], body


def _series_rows(series):
    headers = [_("Year"), _("Quarter"), _("Designations"), _("Projects approved"), _("Investment completed (10k CNY)")]
    body = [[p["year"], p["quarter"] or "", p["designations"].value, p["projects_approved"].value,
             p["investment_completed"].value] for p in series["by_year"] + series["by_quarter"]]
    return headers, body


def _breakdown_rows(table, first):
    headers = [first, _("Alliances"), pgettext("dashboard", "Designated alliances"), pgettext("dashboard", "Member units"), _("Approved projects"),
               _("Total investment (10k CNY)"), _("Completed investment (10k CNY)")]
    body = [[row["label"], row["alliances"].value, row["designated"].value, row["member_units"].value,
             row["projects"].value, row["total_investment"].value, row["completed_investment"].value]
            for row in table]
    return headers, body


def _watch_rows(watch):
    body = []
    for entry in watch.values():
        for row in entry["rows"]:
            body.append([entry["count"].label, row["name"], _cell(row["date"]) or ""])
    return [_("Watch list"), _("Item"), _("Date")], body


def _xlsx(name: str, headers, body, *, title) -> HttpResponse:
    """A workbook of one sheet named ``title`` (the reader's language), downloaded as ``name``.xlsx."""
    buffer = io.BytesIO()
    # User data never becomes a formula or a link in the bureau's spreadsheet.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(_sheet_name(str(title)))
    bold = workbook.add_format({"bold": True, "bg_color": "#F1F3F5"})
    money = workbook.add_format({"num_format": "#,##0.0000"})
    sheet.write_row(0, 0, [str(h) for h in headers], bold)
    for r, row in enumerate(body, start=1):
        for c, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), money)  # Excel stores numbers as doubles anyway
            elif value is None:
                sheet.write_blank(r, c, None)
            else:
                sheet.write(r, c, value)
    sheet.set_column(0, max(len(headers) - 1, 0), 18)
    sheet.freeze_panes(1, 0)
    workbook.close()
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response
