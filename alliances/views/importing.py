"""The bureau's import of alliances designated before the portal (存量联盟): template download, upload,
every problem listed by sheet, row and column, or the summary of what was imported."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import importing
from ..forms import ImportWorkbookForm


def _officers_only(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("alliances.import_alliances"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_officers_only
def import_template(request):
    response = HttpResponse(importing.template_workbook(), content_type=importing.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="alliance-import-template-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@_officers_only
def import_alliances(request):
    form = ImportWorkbookForm(request.POST or None, request.FILES or None)
    problems, summary = [], None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["workbook"]
            try:
                summary = importing.import_workbook(uploaded, by=request.user)
            except importing.UnreadableWorkbook as unreadable:
                form.add_error("workbook", unreadable.message)
            except importing.ImportRejected as rejected:
                problems = rejected.problems
        if not form.is_valid() or problems:
            status = 400
    return render(request, "alliances/import.html", {"form": form, "problems": problems, "summary": summary},
                  status=status)
