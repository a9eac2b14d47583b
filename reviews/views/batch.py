"""Decisions in batch for a call: the officer's batch page (staged outcomes, release, designation), the public
notice of the batch, and the designation document (认定文件) as a printable page and a PDF."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from alliance_portal.core.downloads import stored_file
from alliance_portal.core.errors import WorkflowError
from alliances.models import Alliance
from alliances.workflow import State
from calls.models import Call

from .. import batches, documents
from ..models import StagedOutcome
from .common import run

officer_required = permission_required("reviews.review_application", raise_exception=True)


class StagedOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Proposed outcome"), choices=StagedOutcome.Outcome.choices,
                                widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("Required for “not this time”: the applicant reads it when the "
                                                    "batch is released."))
    position = forms.IntegerField(label=gettext_lazy("Position"), required=False, min_value=1, max_value=9999)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == StagedOutcome.Outcome.NOT_THIS_TIME and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write down the reason for “not this time”."))
        return data


def _call(call_id) -> Call:
    return get_object_or_404(Call, pk=call_id)


def _page(request, call, *, bound=None, status=200):
    """The batch page; ``bound`` = (alliance id, bound form) keeps what the officer typed after a refusal."""
    view = batches.batch_view(call)
    for row in view.rows:
        if bound and bound[0] == row.pk:
            row.form = bound[1]
        elif row.state == State.JOINT_REVIEW and not view.released:
            staged = getattr(row, "staged_outcome", None)
            row.form = StagedOutcomeForm(
                prefix=f"a{row.pk}",
                initial={"outcome": staged.outcome, "reason": staged.reason, "position": staged.position}
                if staged else None)
        else:
            row.form = None
    return render(request, "reviews/batch/page.html", {"view": view, "call": call}, status=status)


@login_required
@officer_required
def batch(request, call_id):
    return _page(request, _call(call_id))


@require_POST
@login_required
@officer_required
def stage(request, call_id, pk):
    call = _call(call_id)
    alliance = get_object_or_404(Alliance.objects.filter(call=call).select_related("call"), pk=pk)
    form = StagedOutcomeForm(request.POST, prefix=f"a{alliance.pk}")
    if not form.is_valid():
        return _page(request, call, bound=(alliance.pk, form), status=400)
    try:
        batches.stage_outcome(alliance, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"],
                              position=form.cleaned_data["position"], by=request.user)
    except WorkflowError as refusal:
        form.add_error(None, refusal.message)
        return _page(request, call, bound=(alliance.pk, form), status=refusal.status_code)
    messages.success(request, _("The proposed outcome of %(alliance)s was saved.") % {"alliance": alliance.name})
    return redirect(reverse("reviews:batch", args=[call.pk]) + f"#row-{alliance.pk}")


@require_POST
@login_required
@officer_required
def release(request, call_id):
    call = _call(call_id)
    run(request, lambda: batches.release_batch(call, by=request.user),
        success=_("The batch was released: the proposed alliances are in public notice and every applicant was "
                  "told their outcome."))
    return redirect("reviews:batch", call_id=call.pk)


@require_POST
@login_required
@officer_required
def designate(request, call_id):
    call = _call(call_id)
    run(request, lambda: batches.designate_batch(call, by=request.user),
        success=_("The batch was designated: the designation document and the certificates are ready."))
    return redirect("reviews:batch", call_id=call.pk)


# --- Public pages ------------------------------------------------------------------------------------


def batch_notice(request, call_id):
    """The public notice of a released batch (no sign-in); before release it does not exist."""
    call = _call(call_id)
    found = batches.public_batch(call)
    if found is None:
        raise Http404
    decision, alliances = found
    return render(request, "reviews/batch/notice.html", {
        "call": call, "decision": decision, "alliances": list(alliances),
        "upcoming": timezone.localdate() < decision.notice_starts_on,
        "running": decision.notice_starts_on <= timezone.localdate() <= decision.notice_ends_on,
    })


def _designated(call_id):
    decision = batches.designated_batch(_call(call_id))
    if decision is None:
        raise Http404
    return decision


def document(request, call_id):
    """The designation document, public like the register it matches, with the state of the issued PDF."""
    decision = _designated(call_id)
    issued = documents.current_designation_document(decision)
    context = documents.designation_document_context(decision, issued_at=issued.issued_at if issued else None)
    return render(request, "reviews/batch/document.html", {
        **context, "document": issued, "may_reissue": request.user.has_perm("reviews.review_application")})


@require_POST
@login_required
@officer_required
def reissue_document(request, call_id):
    """A corrected designation document; the one it replaces stays, marked superseded."""
    decision = _designated(call_id)
    reason = request.POST.get("reason", "")[:300]
    run(request, lambda: documents.reissue_designation_document(decision, reason=reason, by=request.user),
        success=_("A corrected designation document was issued; the previous one is kept, marked superseded."))
    return redirect("reviews:batch_document", call_id=call_id)


def document_pdf(request, call_id):
    """The designation document's PDF as issued (stored once); while it is being prepared, its page says so."""
    decision = _designated(call_id)
    issued = documents.current_designation_document(decision)
    if issued is None or not issued.is_ready:
        return redirect("reviews:batch_document", call_id=call_id)
    return stored_file(issued.file, content_type="application/pdf", as_attachment=False, etag=issued.sha256,
                       filename=f"designation-{decision.document_year}-{decision.document_sequence}.pdf")
