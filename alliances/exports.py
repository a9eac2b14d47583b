"""Exports of the alliance list: CSV (UTF-8 with BOM, for Excel in China) and xlsx.

Both write exactly the rows and columns the filtered list shows. Cells that a spreadsheet would
read as a formula are written as text.
"""

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance_portal.core.csv_export import csv_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns():
    return [
        _("Alliance"), _("Industry sector"), _("Chairman unit"), _("Unified social credit code"), _("District"),
        _("Confirmed member units"), _("State"), _("Version"), _("Updated"),
    ]


def rows(alliances):
    for alliance in alliances:
        yield [
            alliance.name, alliance.sector.name, alliance.chairman.name, alliance.chairman.credit_code,
            alliance.chairman.district.name, alliance.confirmed_members, str(alliance.get_state_display()),
            alliance.current_version, timezone.localtime(alliance.updated_at).strftime("%Y-%m-%d %H:%M"),
        ]


def _filename(extension):
    return f"alliances-{timezone.localdate():%Y%m%d}.{extension}"


def as_csv(alliances) -> HttpResponse:
    return csv_response(filename=_filename("csv"), header=columns(), rows=rows(alliances))


def as_xlsx(alliances) -> HttpResponse:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(_("Alliances")[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#F1F3F5", "border": 1})
    sheet.write_row(0, 0, columns(), header)
    widths = [36, 16, 30, 22, 10, 10, 12, 8, 17]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    count = 0
    for count, row in enumerate(rows(alliances), start=1):
        sheet.write_row(count, 0, row)
    sheet.autofilter(0, 0, max(count, 1), len(widths) - 1)
    sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
