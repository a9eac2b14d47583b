"""Pages anyone can open without signing in: public notices with the objection form, and the register."""

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.middleware import client_ip_of
from alliance_portal.core.errors import WorkflowError

from .. import documents, selectors, services
from ..forms import ObjectionForm, RegisterFilterForm
from ..models import Designation, ReviewSettings


def notices(request):
    return render(request, "reviews/public/notices.html", {"notices": selectors.running_notices()})


def _throttled(ip: str | None) -> bool:
    """True when this address has already sent the configured number of objections this hour."""
    limit = ReviewSettings.current().objections_per_hour
    key = f"reviews:objections:{ip or 'unknown'}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=3600)
        sent = 1
    return sent > limit


@never_cache
def notice(request, pk):
    notice = get_object_or_404(selectors.running_notices(), pk=pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip_of(request)
        if _throttled(ip):
            form.add_error(None, _("Too many objections were sent from your address in the last hour. "
                                   "Please try again later or contact the bureau by phone."))
        else:
            try:
                services.submit_objection(notice, ip_address=ip, **form.cleaned_data)
            except WorkflowError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Your objection was recorded. The bureau will look into it and may "
                                            "contact you."))
                return redirect("reviews:notice", pk=notice.pk)
    return render(request, "reviews/public/notice.html", {
        "notice": notice, "alliance": notice.alliance, "form": form,
        "application": selectors.public_application(notice.alliance),
    })


def register(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.register(sector=filters.get("sector"), level=filters.get("level") or "",
                                  year=filters.get("year"), q=filters.get("q") or "")
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reviews/public/register.html", {
        "form": form, "page": page, "total": page.paginator.count, "query": query.urlencode(),
        "levels": Designation.Level,
        "certificates": documents.certificates_numbered(filters.get("q") or ""),
    })
