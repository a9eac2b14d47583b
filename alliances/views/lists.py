"""The alliance list (members: their own; bureau roles: all) and its exports."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from alliance_portal.core.pagination import shown_page

from .. import exports, selectors
from ..filters import AllianceFilterSet
from ..models import Alliance

PAGE_SIZE = 20
PAGE_LINKS = 3  # page links either side of the current one: a fixed number, whatever the row count


def _filtered(request, rows):
    return AllianceFilterSet(request.GET or None, queryset=rows, request=request)


def _may(user, permission) -> bool:
    """``user.has_perm`` without the model backend, which would load the user's permissions (two queries)."""
    return user.is_superuser or rules.has_perm(permission, user)


@login_required
def alliance_list(request):
    filterset = _filtered(request, selectors.alliance_rows(request.user))
    page = shown_page(filterset.qs, request.GET.get("page"), selectors.with_list_columns(Alliance.objects.all()),
                      PAGE_SIZE)
    return render(request, "alliances/list.html", {
        "filter": filterset,
        "page": page,
        "page_numbers": range(max(1, page.number - PAGE_LINKS), min(page.paginator.num_pages, page.number + PAGE_LINKS) + 1),
        "sees_all": _may(request.user, "alliances.view_all_alliances"),
        "may_create": rules.has_perm("alliances.create_alliance", request.user) and request.user.organisation_id,
        "may_import": _may(request.user, "alliances.import_alliances"),
    })


@login_required
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    alliances = _filtered(request, selectors.alliance_list(request.user)).qs
    return exports.as_csv(alliances) if fmt == "csv" else exports.as_xlsx(alliances)
