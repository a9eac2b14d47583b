"""Exports of exactly what a project list shows (same filters, same order), as xlsx and CSV.

CSV is UTF-8 with a byte-order mark so that Excel in China opens it correctly; the xlsx writer
never turns user text into formulas or links.
"""

import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance_portal.core.csv_export import csv_response

from .selectors import investment_ratio


def columns():
    return [
        (_("Approval number"), lambda p: p.approval_number or ""),
        (_("Project title"), lambda p: p.title),
        (_("Alliance"), lambda p: p.alliance.name),
        (_("Industry sector"), lambda p: p.sector.name),
        (_("Project kind"), lambda p: p.get_kind_display()),
        (_("State"), lambda p: p.get_state_display()),
        (_("Lead unit"), lambda p: p.lead_unit.name),
        (_("Year"), lambda p: p.project_year),
        (_("Start date"), lambda p: p.start_date.isoformat()),
        (_("End date"), lambda p: p.end_date.isoformat()),
        (_("Total investment (10k CNY)"), lambda p: p.total_investment),
        (_("Completed investment (10k CNY)"),
         lambda p: p.latest_report.completed_investment if p.latest_report_id else Decimal("0")),
        (_("Investment completion (%)"), investment_ratio),
        (_("Granted funding (10k CNY)"), lambda p: p.granted_funding),
        (_("Milestones reached"), lambda p: f"{p.milestones_reached}/{p.milestones_total}"),
        (_("Next report due"), lambda p: p.next_report_due.isoformat() if p.next_report_due else ""),
        (_("Late"), lambda p: _("yes") if p.is_late else ""),
        (_("Stalled"), lambda p: _("yes") if p.is_stalled else ""),
        (_("Over budget"), lambda p: _("yes") if p.is_over_budget else ""),
    ]


def _filename(extension: str) -> str:
    return f"projects-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def as_csv(projects) -> HttpResponse:
    cols = columns()
    return csv_response(
        filename=_filename("csv"),
        header=[title for title, _value in cols],
        rows=([value(project) for _title, value in cols] for project in projects),
    )


def as_xlsx(projects) -> HttpResponse:
    cols = columns()
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(_("Projects")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F1F3F5", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.0000"})
    for index, (title, _value) in enumerate(cols):
        sheet.write_string(0, index, title, bold)
        sheet.set_column(index, index, 14 if index != 1 else 36)
    last_row = 0
    for row, project in enumerate(projects, start=1):
        last_row = row
        for index, (_title, value) in enumerate(cols):
            cell = value(project)
            if cell is None:
                sheet.write_blank(row, index, None)
            elif isinstance(cell, Decimal):
                sheet.write_number(row, index, float(cell), money)
            elif isinstance(cell, int):
                sheet.write_number(row, index, cell)
            else:
                sheet.write_string(row, index, str(cell))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last_row, len(cols) - 1)
    workbook.close()
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
