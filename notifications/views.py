from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from . import services
from .models import Notification
from .selectors import notifications_of


class NotificationListView(LoginRequiredMixin, ListView):
    """The notification centre: the user's own notifications, unread or all, newest first."""

    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20
    FILTERS = ("all", "unread")

    def get_filter(self) -> str:
        show = self.request.GET.get("show", "all")
        return show if show in self.FILTERS else "all"

    def get_queryset(self):
        return notifications_of(self.request.user, unread_only=self.get_filter() == "unread")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(show=self.get_filter(), **kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        return context


def _safe(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure())


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read; then follow its link (``follow``) or go back to the list (``next``)."""
    try:
        notification = services.mark_read(notification_id=pk, by=request.user)
    except Notification.DoesNotExist:
        raise Http404 from None  # someone else's notification: as if it did not exist
    if "follow" in request.POST and _safe(request, notification.url):
        return redirect(notification.url)
    next_url = request.POST.get("next", "")
    return HttpResponseRedirect(next_url if _safe(request, next_url) else reverse("notifications:list"))


@login_required
@require_POST
def mark_all_read(request):
    changed = services.mark_all_read(by=request.user)
    if changed:
        messages.success(request, ngettext("%(count)d notification marked as read.",
                                           "%(count)d notifications marked as read.", changed) % {"count": changed})
    else:
        messages.info(request, _("You have no unread notifications."))
    next_url = request.POST.get("next", "")
    return HttpResponseRedirect(next_url if _safe(request, next_url) else reverse("notifications:list"))
