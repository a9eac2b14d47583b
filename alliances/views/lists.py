"""The alliance list (members: their own; bureau roles: all) and its exports."""

import rules
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .. import exports, selectors
from ..filters import AllianceFilterSet

PAGE_SIZE = 20


def _filtered(request):
    return AllianceFilterSet(request.GET or None, queryset=selectors.alliance_list(request.user), request=request)


@login_required
def alliance_list(request):
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alliances/list.html", {
        "filter": filterset,
        "page": page,
        "sees_all": request.user.has_perm("alliances.view_all_alliances"),
        "may_create": rules.has_perm("alliances.create_alliance", request.user) and request.user.organisation_id,
        "may_import": request.user.has_perm("alliances.import_alliances"),
    })


@login_required
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    alliances = _filtered(request).qs
    return exports.as_csv(alliances) if fmt == "csv" else exports.as_xlsx(alliances)
