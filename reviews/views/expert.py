"""The expert's pages: their own assignments, accept or decline, and the scorecard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts import audit
from alliance_portal.core.downloads import stored_file

from .. import selectors, services
from ..forms import RespondForm, ScorecardForm
from ..models import ExpertAssignment, Scorecard
from .common import run

expert_required = permission_required("reviews.view_my_assignments", raise_exception=True)


@login_required
@expert_required
def my_assignments(request):
    show = request.GET.get("show", "open")
    queryset = selectors.assignments_of(request.user)
    counts = {"open": queryset.filter(status__in=ExpertAssignment.OPEN).count(), "all": queryset.count()}
    if show == "open":
        queryset = queryset.filter(status__in=ExpertAssignment.OPEN)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "reviews/expert/assignments.html", {"page": page, "show": show, "counts": counts})


def _own(request, pk) -> ExpertAssignment:
    """The expert's own assignment; anyone else's is a 404."""
    return get_object_or_404(selectors.assignments_of(request.user).select_related("expert__user"), pk=pk)


def _may_read_documents(assignment: ExpertAssignment) -> bool:
    """An expert reads the application's documents once they accepted, until they submit their scores."""
    if assignment.status != ExpertAssignment.Status.ACCEPTED:
        return False
    return not Scorecard.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()


def _assignment_file(request, pk, rows, file_pk):
    """A file of the application the expert scores, from ``rows(alliance)``, audited; 404 unless they may read."""
    own = _own(request, pk)
    if not _may_read_documents(own):
        raise Http404
    found = get_object_or_404(rows(own.alliance), pk=file_pk)
    audit.record("document_downloaded", user=request.user, obj=found, assignment=own.pk, by_role="expert")
    return stored_file(found.file, filename=found.original_name, content_type="application/pdf")


@login_required
@expert_required
def assignment_agreement(request, pk, agreement_pk):
    """The signed agreement of the application the expert scores."""
    return _assignment_file(request, pk, lambda alliance: alliance.agreements, agreement_pk)


@login_required
@expert_required
def assignment_document(request, pk, document_pk):
    """One of the documents the call asks for, of the application the expert scores."""
    return _assignment_file(request, pk, lambda alliance: alliance.call_documents, document_pk)


@login_required
@expert_required
def assignment(request, pk):
    own = _own(request, pk)
    card = Scorecard.objects.filter(assignment=own).prefetch_related("scores__criterion").first()
    criteria = selectors.criteria_for(own.alliance)
    submitting = request.method == "POST" and "submit" in request.POST
    form = ScorecardForm(request.POST or None, criteria=criteria, scorecard=card, submitting=submitting)
    if request.method == "POST":
        if form.is_valid():
            ok, _card = run(request, lambda: services.save_scorecard(
                own, scores=form.scores, comments=form.cleaned_data["comments"],
                recommendation=form.cleaned_data["recommendation"], submit=submitting, by=request.user),
                success=_("Your scores were submitted. Thank you.") if submitting else _("Your draft was saved."))
            if ok:
                return redirect("reviews:assignment", pk=own.pk)
        else:
            messages.error(request, _("Please correct the marked fields."))
    return render(request, "reviews/expert/assignment.html", {
        "assignment": own, "alliance": own.alliance, "scorecard": card, "form": form,
        "may_score": own.status == ExpertAssignment.Status.ACCEPTED and not (card and card.is_final),
        "may_read_documents": _may_read_documents(own),
        "respond_form": RespondForm(),
        "application": selectors.application_summary(own.alliance),
        "changes": selectors.changes_for_expert(own),
    })


@require_POST
@login_required
@expert_required
def respond(request, pk):
    own = _own(request, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["accept"]
        run(request, lambda: services.respond_to_assignment(own, accept=accept, reason=form.cleaned_data["reason"],
                                                            by=request.user),
            success=_("You accepted the assignment; the scorecard is open.") if accept
            else _("You declined the assignment; the bureau will ask someone else."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reviews:assignment", pk=own.pk)
