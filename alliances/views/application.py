"""Creating an application and filling it in as numbered steps, each with "save draft".

Every step saves through ``alliances.services``. A step whose form has errors keeps everything the
user typed on the page; single forms save their valid fields at once (a draft never loses work),
lists (members, governance, targets, investment) are saved whole or not at all.
"""

from dataclasses import dataclass

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from alliance_portal.core.errors import NotEligible, WorkflowError

from .. import eligibility, selectors, services
from ..errors import InvitationError
from ..forms import (
    AgreementUploadForm,
    AllianceCreateForm,
    BasicInfoForm,
    GovernanceForm,
    GovernanceFormSet,
    InvestmentFormSet,
    MemberFormSet,
    TargetFormSet,
    WorkPlanForm,
)
from ..models import GovernanceMember, Membership, PlannedInvestment, WorkPlan
from ..versions import plain_decimal
from .common import visible_alliance


@dataclass(frozen=True)
class Step:
    number: int
    section: str
    title: str
    template: str


STEPS = (
    Step(1, eligibility.BASIC, gettext_lazy("Basic information"), "alliances/steps/basic.html"),
    Step(2, eligibility.MEMBERS, pgettext_lazy("application section", "Member units"), "alliances/steps/members.html"),
    Step(3, eligibility.GOVERNANCE, gettext_lazy("Governance"), "alliances/steps/governance.html"),
    Step(4, eligibility.AGREEMENT, gettext_lazy("Alliance agreement"), "alliances/steps/agreement.html"),
    Step(5, eligibility.WORK_PLAN, gettext_lazy("Work plan"), "alliances/steps/work_plan.html"),
    Step(6, eligibility.ORGANISATION, gettext_lazy("Check and submit"), "alliances/steps/check.html"),
)
LAST = STEPS[-1].number
STEP_OF_SECTION = {step.section: step.number for step in STEPS}


@login_required
def create(request):
    if not (rules.has_perm("alliances.create_alliance", request.user) and request.user.organisation_id):
        raise PermissionDenied(_("Only users of a registered member unit may create an alliance application."))
    chosen = {"call": request.GET["call"]} if request.GET.get("call") else {}  # from a call's page
    form = AllianceCreateForm(request.POST or None, initial=chosen)
    if not form.fields["call"].queryset.exists():
        # Applications are made within a call (申报批次): while none is open, the page says so and shows none.
        return render(request, "alliances/create.html", {"form": None})
    if request.method == "POST" and form.is_valid():
        alliance = services.create_alliance(by=request.user, name=form.cleaned_data["name"],
                                            sector=form.cleaned_data["sector"], call=form.cleaned_data.get("call"))
        messages.success(request, _("The draft application was created. Your organisation is its chairman unit; "
                                    "fill in the steps below and save as you go."))
        _warn_of_duplicates(request, alliance)
        return redirect("alliances:step", alliance.pk, 1)
    return render(request, "alliances/create.html", {"form": form})


def _warn_of_duplicates(request, alliance) -> None:
    """Tell the applicant, without stopping them, which designated alliance theirs may duplicate (重复建设)."""
    found = selectors.possible_duplicates(alliance, designated_only=True)
    if found:
        messages.warning(request, _("This application may duplicate a designated alliance: %(names)s. The bureau "
                                    "checks for duplication (重复建设); explain in the work plan how yours differs.")
                         % {"names": "、".join(d.alliance.name for d in found)})


@login_required
def step(request, pk, number):
    if not 1 <= number <= LAST:
        raise Http404
    alliance = visible_alliance(request.user, pk)
    if not rules.has_perm("alliances.edit_application", request.user, alliance):
        if request.user.organisation_id == alliance.chairman_id:
            messages.info(request, _("This application is “%(state)s”: it can be changed only while it is a draft "
                                     "or after the bureau returns it for revision.")
                          % {"state": alliance.get_state_display()})
            return redirect("alliances:detail", alliance.pk)
        raise PermissionDenied
    current = STEPS[number - 1]
    try:
        outcome = HANDLERS[number](request, alliance)
    except WorkflowError as error:  # e.g. the application left the applicant's hands meanwhile
        messages.error(request, error.message)
        return redirect("alliances:detail", alliance.pk)
    if isinstance(outcome, HttpResponse):
        return outcome
    problems = outcome.get("problems")
    if problems is None:
        problems = eligibility.check(alliance)
    return render(request, current.template, {
        "alliance": alliance, "step": current, "steps": _progress(current, problems),
        "previous_step": STEPS[number - 2] if number > 1 else None,
        "next_step": STEPS[number] if number < LAST else None,
        "section_problems": [p for p in problems if p.section == current.section],
        **outcome,
    })


def _progress(current, problems):
    failing = eligibility.sections_with_problems(problems)
    progress = []
    for step in STEPS:
        done = not problems if step.number == LAST else step.section not in failing
        progress.append({"step": step, "current": step == current, "done": done})
    return progress


def _saved(request, alliance, number, message=None):
    messages.success(request, message or _("Draft saved."))
    if request.POST.get("after") == "next" and number < LAST:
        return redirect("alliances:step", alliance.pk, number + 1)
    return redirect("alliances:step", alliance.pk, number)


def _partly_saved(request, error_count):
    messages.warning(request, ngettext(
        "The draft was saved, except %(count)d entry that needs correcting: it is marked below and was not saved.",
        "The draft was saved, except %(count)d entries that need correcting: they are marked below and were not "
        "saved.", error_count) % {"count": error_count})


def _error_count(*forms_and_formsets):
    count = 0
    for item in forms_and_formsets:
        if hasattr(item, "total_error_count"):
            count += item.total_error_count()
        else:
            count += len(item.errors)
    return count


# --- step 1 --------------------------------------------------------------------------------------

def basic_step(request, alliance):
    form = BasicInfoForm(request.POST or None, instance=alliance)
    if request.method == "POST":
        valid = form.is_valid()
        changes = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        services.update_basic_info(alliance, by=request.user, changes=changes)
        if valid:
            return _saved(request, alliance, 1)
        _partly_saved(request, _error_count(form))
    return {"form": form}


# --- step 2 --------------------------------------------------------------------------------------

def members_step(request, alliance):
    memberships = selectors.memberships(alliance)
    others = [m for m in memberships if m.role != Membership.Role.CHAIRMAN]
    initial = [{"membership_id": m.pk, "credit_code": m.organisation.credit_code, "role": m.role,
                "is_core": m.is_core} for m in others]
    formset = MemberFormSet(request.POST or None, initial=initial, alliance=alliance, prefix="members")
    if request.method == "POST" and formset.is_valid():
        failing = None  # the row being saved, to put a refusal beside it
        try:
            with transaction.atomic():
                for form, membership, data, delete in formset.rows():
                    failing = form
                    if membership is None:
                        if not delete:
                            services.invite_member(alliance, by=request.user, credit_code=data["credit_code"],
                                                   role=data["role"], is_core=data["is_core"])
                    elif delete:
                        services.remove_member(alliance, by=request.user, membership_id=membership.pk)
                    else:
                        services.update_membership(alliance, by=request.user, membership_id=membership.pk,
                                                   role=data["role"], is_core=data["is_core"])
                failing = None
                reinvite = formset.membership_map.get(_int(request.POST.get("reinvite")))
                if reinvite is not None:
                    services.invite_member(alliance, by=request.user, credit_code=reinvite.organisation.credit_code,
                                           role=reinvite.role, is_core=reinvite.is_core)
        except InvitationError as error:
            if failing is not None:
                failing.add_error(None, error.message)
            else:
                messages.error(request, error.message)
        else:
            return _saved(request, alliance, 2, _("Member units saved. Invited organisations become members only "
                                                  "when they confirm from their own account."))
    elif request.method == "POST":
        messages.warning(request, _("Nothing was saved: please correct the marked rows."))
    return {
        "formset": formset,
        "chairman_membership": next((m for m in memberships if m.role == Membership.Role.CHAIRMAN), None),
        "counts": eligibility.member_counts(alliance),
    }


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- step 3 --------------------------------------------------------------------------------------

def governance_step(request, alliance):
    form = GovernanceForm(request.POST or None, initial={"standing_body": alliance.standing_body})
    rows = GovernanceMember.objects.filter(alliance=alliance).order_by("body", "pk")
    initial = [{name: getattr(row, name) for name in services.GOVERNANCE_FIELDS} for row in rows]
    formset = GovernanceFormSet(request.POST or None, initial=initial, prefix="governance")
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        services.update_governance(
            alliance, by=request.user,
            standing_body=form.cleaned_data["standing_body"] if form_ok else None,
            members=formset.kept_rows() if formset_ok else None,
        )
        if form_ok and formset_ok:
            return _saved(request, alliance, 3)
        _partly_saved(request, _error_count(form, formset))
    return {"form": form, "formset": formset}


# --- step 4 --------------------------------------------------------------------------------------

def agreement_step(request, alliance):
    form = AgreementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.FILES and request.POST.get("after") == "next":
            return redirect("alliances:step", alliance.pk, 5)
        if form.is_valid():
            services.upload_agreement(alliance, by=request.user, file=form.cleaned_data["file"], info=form.info)
            return _saved(request, alliance, 4, _("The agreement was uploaded."))
    agreements = alliance.agreements.select_related("uploaded_by")
    return {"form": form, "agreements": agreements, "upload_limit": settings.UPLOAD_MAX_BYTES}


# --- step 5 --------------------------------------------------------------------------------------

def work_plan_step(request, alliance):
    plan, _created = WorkPlan.objects.get_or_create(alliance=alliance)
    data = request.POST or None
    form = WorkPlanForm(data, instance=plan)
    targets = TargetFormSet(data, prefix="targets", initial=[
        {"year": t.year, "indicator": t.indicator, "target_value": plain_decimal(t.target_value), "unit": t.unit}
        for t in plan.targets.all()
    ])
    source_order = [value for value, _label in PlannedInvestment.Source.choices]
    investments = InvestmentFormSet(data, prefix="investments", initial=[
        {"year": i.year, "source": i.source, "amount": plain_decimal(i.amount)}
        for i in sorted(plan.investments.all(), key=lambda i: (i.year, source_order.index(i.source)))
    ])
    if request.method == "POST":
        form_ok, targets_ok, investments_ok = form.is_valid(), targets.is_valid(), investments.is_valid()
        services.update_work_plan(
            alliance, by=request.user,
            fields={name: form.cleaned_data[name] for name in WorkPlan.TEXT_FIELDS if name in form.cleaned_data},
            targets=targets.kept_rows() if targets_ok else None,
            investments=investments.kept_rows() if investments_ok else None,
        )
        if form_ok and targets_ok and investments_ok:
            return _saved(request, alliance, 5)
        _partly_saved(request, _error_count(form, targets, investments))
    plan = WorkPlan.objects.prefetch_related("investments").get(pk=plan.pk)
    return {"form": form, "targets": targets, "investments": investments,
            "investment_table": selectors.investment_table(plan)}


# --- step 6 --------------------------------------------------------------------------------------

def check_step(request, alliance):
    if request.method == "POST":
        try:
            record = services.submit_application(alliance, by=request.user)
        except NotEligible as refusal:
            messages.error(request, refusal.message)
            problems = refusal.problems
        else:
            if record is None:
                messages.info(request, _("This application had been submitted already."))
            else:
                messages.success(request, _("Submitted as version %(number)d. The bureau has been notified.")
                                 % {"number": alliance.current_version})
            return redirect("alliances:detail", alliance.pk)
    else:
        problems = eligibility.check(alliance)
    pending = [m for m in selectors.memberships(alliance) if m.status == Membership.Status.INVITED]
    return {
        "duplicates": selectors.possible_duplicates(alliance, designated_only=True),
        "problems": problems,
        "listed_problems": [(p, reverse("alliances:step", args=[alliance.pk, STEP_OF_SECTION[p.section]])
                             if p.section in STEP_OF_SECTION else reverse("calls:documents", args=[alliance.pk]))
                            for p in problems],
        "pending": pending,
        "counts": eligibility.member_counts(alliance),
        "resubmission": alliance.current_version > 0,
    }


HANDLERS = {1: basic_step, 2: members_step, 3: governance_step, 4: agreement_step, 5: work_plan_step,
            6: check_step}
