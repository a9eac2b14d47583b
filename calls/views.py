"""Public call pages (no login), the officers' call management and the applicants' document uploads."""

from functools import wraps

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.core.downloads import stored_file
from alliance_portal.core.errors import WorkflowError
from alliances.views.common import visible_alliance

from . import selectors, services
from .forms import (
    CallForm,
    CriterionFormSet,
    DocumentUploadForm,
    ExtensionForm,
    RequiredDocumentFormSet,
    criterion_initial,
    document_initial,
)
from .models import ApplicationDocument, Call


def officer_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not rules.has_perm("calls.manage_call", request.user):
            raise PermissionDenied(_("Only bureau officers may manage calls for applications."))
        return view(request, *args, **kwargs)

    return wrapped


# --- Public -----------------------------------------------------------------------------------------------


def public_list(request):
    return render(request, "calls/public_list.html", {"calls": selectors.public_calls()})


def public_detail(request, pk):
    call = get_object_or_404(Call.objects.prefetch_related("sectors", "required_documents", "extensions"), pk=pk)
    if not rules.has_perm("calls.view_call", request.user, call):
        raise Http404
    return render(request, "calls/public_detail.html", {"call": call})


# --- Officers ---------------------------------------------------------------------------------------------


@officer_required
def manage_list(request):
    calls = (Call.objects.prefetch_related("sectors").annotate(application_count=Count("applications"))
             .order_by("-year", "-batch_number"))
    return render(request, "calls/manage_list.html", {"calls": calls})


@officer_required
def create(request):
    return _edit(request, None)


@officer_required
def edit(request, pk):
    return _edit(request, get_object_or_404(Call, pk=pk))


def _edit(request, call):
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, instance=call)
    documents = RequiredDocumentFormSet(data, prefix="documents", initial=document_initial(call))
    if data is not None:
        if form.is_valid() and documents.is_valid():
            try:
                if call is None:
                    call = services.create_call(by=request.user, sectors=form.cleaned_data["sectors"],
                                                documents=documents.rows(), **form.call_fields())
                    messages.success(request, _("The call was created with a copy of the default scorecard. "
                                                "It is not public until you publish it."))
                else:
                    fields = form.call_fields()
                    if call.is_published:
                        fields.pop("closes_at")
                    services.update_call(call, by=request.user, sectors=form.cleaned_data["sectors"],
                                         documents=documents.rows(), **fields)
                    messages.success(request, _("The call was saved."))
            except WorkflowError as refusal:
                messages.error(request, refusal.message)
            else:
                return redirect("calls:manage_detail", call.pk)
        else:
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
    return render(request, "calls/edit.html", {"form": form, "documents": documents, "call": call})


@officer_required
def manage_detail(request, pk):
    call = get_object_or_404(Call.objects.prefetch_related("sectors", "required_documents",
                                                           "extensions__extended_by"), pk=pk)
    counts = selectors.funnel(call)
    return render(request, "calls/manage_detail.html", {
        "call": call,
        "funnel": [(step, counts[step.key]) for step in selectors.funnel_steps(call)],
        "extension_form": ExtensionForm(call=call),
        "criteria": call.criteria.filter(is_active=True),
        "scorecard_locked": selectors.scorecard_locked(call),
    })


@require_POST
@officer_required
def publish(request, pk):
    call = get_object_or_404(Call, pk=pk)
    services.publish(call, by=request.user)
    messages.success(request, _("The call is published on the public call page."))
    return redirect("calls:manage_detail", call.pk)


@officer_required
def extend(request, pk):
    call = get_object_or_404(Call, pk=pk)
    form = ExtensionForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_window(call, closes_at=form.cleaned_data["closes_at"], reason=form.cleaned_data["reason"],
                                   by=request.user)
        except WorkflowError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The window was extended."))
            return redirect("calls:manage_detail", call.pk)
    return render(request, "calls/extend.html", {"call": call, "form": form})


@officer_required
def criteria(request, pk):
    call = get_object_or_404(Call, pk=pk)
    locked = selectors.scorecard_locked(call)
    formset = CriterionFormSet(request.POST or None, prefix="criteria", initial=criterion_initial(call))
    if request.method == "POST":
        if locked:
            messages.error(request, selectors.SCORECARD_LOCKED)
        elif formset.is_valid():
            try:
                services.update_criteria(call, by=request.user, criteria=formset.rows())
            except WorkflowError as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("The call's scorecard was saved."))
                return redirect("calls:manage_detail", call.pk)
        else:
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
    return render(request, "calls/criteria.html", {"call": call, "formset": formset, "locked": locked})


# --- Applicants' documents ----------------------------------------------------------------------------------


@login_required
def documents(request, alliance_pk):
    alliance = visible_alliance(request.user, alliance_pk)
    if alliance.call_id is None:
        raise Http404
    call = alliance.call
    may_upload = rules.has_perm("alliances.edit_application", request.user, alliance)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.upload_document(alliance, required_document=form.cleaned_data["required_document"],
                                         file=form.cleaned_data["file"], info=form.info, by=request.user)
            except WorkflowError as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("The document was uploaded."))
                return redirect("calls:documents", alliance.pk)
    return render(request, "calls/documents.html", {
        "alliance": alliance, "call": call, "form": form, "may_upload": may_upload,
        "status": selectors.document_status(alliance), "upload_limit": settings.UPLOAD_MAX_BYTES,
    })


@login_required
def download_document(request, alliance_pk, document_pk):
    alliance = visible_alliance(request.user, alliance_pk)
    if not request.user.has_perm("alliances.download_agreement", alliance):
        raise Http404
    document = get_object_or_404(ApplicationDocument.objects.filter(alliance=alliance), pk=document_pk)
    return stored_file(document.file, filename=document.original_name, content_type="application/pdf")
