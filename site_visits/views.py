"""The site-visit pages: scheduling from the officer's review page, the visit with its findings, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from alliance_portal.core.downloads import stored_file
from alliance_portal.core.errors import WorkflowError
from alliances.models import Alliance

from . import selectors, services
from .forms import FindingsForm, ScheduleForm
from .models import SiteVisit, SiteVisitAttachment


@login_required
@permission_required("site_visits.schedule_visit", raise_exception=True)
def schedule(request, pk):
    alliance = get_object_or_404(Alliance.objects.select_related("sector", "chairman", "call"), pk=pk)
    candidates = selectors.team_candidates(alliance)
    form = ScheduleForm(request.POST or None, candidates=candidates,
                        initial={"place": alliance.secretariat_address or alliance.chairman.address})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.schedule_visit(alliance, date=form.cleaned_data["date"], place=form.cleaned_data["place"],
                                            team=list(form.cleaned_data["team"]), by=request.user)
        except WorkflowError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The site visit is scheduled; the team is told."))
            return redirect("site_visits:visit", pk=visit.pk)
    chosen = {str(v) for v in (form["team"].value() or [])}
    return render(request, "site_visits/schedule.html", {
        "alliance": alliance, "form": form, "candidates": candidates, "chosen": chosen,
    }, status=400 if form.errors else 200)


def _visit(request, pk) -> SiteVisit:
    visit = get_object_or_404(selectors.with_details(SiteVisit.objects.select_related(
        "alliance__sector", "alliance__chairman")), pk=pk)
    if not request.user.has_perm("site_visits.view_visit", visit):
        raise Http404
    return visit


@login_required
def visit(request, pk):
    found = _visit(request, pk)
    may_record = (request.user.has_perm("site_visits.record_findings") and not found.is_concluded
                  and found.alliance.state == "site_visit")
    form = FindingsForm(request.POST or None) if may_record else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                done = services.record_findings(found, checks=form.checks(), conclusion=form.cleaned_data["conclusion"],
                                                summary=form.cleaned_data["summary"],
                                                attachments=request.FILES.getlist("attachments"), by=request.user)
            except WorkflowError as refusal:
                form.add_error(None, refusal.message)
            else:
                if done is None:
                    messages.info(request, _("The findings had been recorded already."))
                else:
                    messages.success(request, _("The findings are recorded."))
                return redirect("site_visits:visit", pk=found.pk)
        status = 400
    return render(request, "site_visits/visit.html", {
        "alliance": found.alliance, "visit": found, "form": form,
    }, status=status)


@login_required
def attachment(request, pk):
    found = get_object_or_404(SiteVisitAttachment.objects.select_related("visit"), pk=pk)
    if not request.user.has_perm("site_visits.view_visit", found.visit):
        raise Http404
    return stored_file(found.file, filename=found.original_name, content_type=found.content_type,
                       as_attachment=not found.is_image)
