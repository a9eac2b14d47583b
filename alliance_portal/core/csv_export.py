"""CSV for every export of the portal: UTF-8 with a byte-order mark (Excel in China reads it), and no
cell that a spreadsheet would run as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula (``=HYPERLINK(...)``, DDE); a leading apostrophe makes it text.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """The cell as text a spreadsheet shows as typed: ``None`` is empty, formula starts get an apostrophe.

    Numbers stay numbers (a negative amount is not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_response(*, filename: str, header, rows) -> HttpResponse:
    """An attachment ``filename`` with the header row and every row, each cell through ``csv_safe``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM makes Excel read UTF-8 (Chinese) correctly
    writer = csv.writer(response)
    writer.writerow([csv_safe(title) for title in header])
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return response
