"""Pages of assessments. Thin: find the object the user may see (404 otherwise), check the permission,
call a service, turn a refusal into a message beside the field or at the top of the page."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.core.downloads import stored_file
from alliance_portal.core.errors import WorkflowError
from alliances.selectors import timeline
from reviews import services as review_services
from reviews.models import Designation

from . import selectors, services
from .errors import Incomplete, InvalidInput
from .forms import (
    AssessmentFilterForm,
    AssignExpertForm,
    DecisionForm,
    LifecycleStageForm,
    OpenAssessmentForm,
    ReassessmentDecisionForm,
    RectificationReportForm,
    ScorecardForm,
    SelfAssessmentEvidenceForm,
    SelfAssessmentForm,
    TargetAchievementFormSet,
    active_criteria,
    plain,
)
from .models import (
    AssessmentExpertAssignment,
    AssessmentRound,
    AssessmentRules,
    Rectification,
    SelfAssessment,
    SelfAssessmentAttachment,
)

PAGE_SIZE = 20


def _refused(request, error: WorkflowError, form=None) -> list[str]:
    """Show a refusal: field errors beside their fields, anything else at the top. Returns the problems list."""
    if isinstance(error, InvalidInput) and form is not None:
        for field, message in error.field_errors.items():
            form.add_error(field if field in form.fields else None, message)
        return []
    messages.error(request, error.message)
    return error.problems if isinstance(error, Incomplete) else []


def _visible_round(request, pk: int) -> AssessmentRound:
    rounds = selectors.rounds_visible_to(request.user).select_related("alliance", "alliance__sector",
                                                                      "alliance__chairman")
    return get_object_or_404(rounds, pk=pk)


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# --- List and opening --------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    _need(request, "assessments.view_assessment_list")
    filters = AssessmentFilterForm(request.GET or None, user=request.user)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rounds = selectors.assessment_list(request.user, status=chosen.get("status", ""), kind=chosen.get("kind", ""),
                                       sector=chosen.get("sector"), deadline=chosen.get("deadline", ""),
                                       outcome=chosen.get("outcome", ""), followed=chosen.get("followed") == "mine")
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "today": timezone.localdate(),
               "query": _query_without_page(request)}
    if request.user.has_perm("assessments.manage_assessments"):
        due = selectors.due_for_assessment(within_days=30)
        context["due"] = list(due[:PAGE_SIZE])
        context["due_count"] = due.count() if len(context["due"]) == PAGE_SIZE else len(context["due"])
    return render(request, "assessments/assessment_list.html", context)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def open_assessment(request):
    _need(request, "assessments.manage_assessments")
    initial = {"alliance": request.GET.get("alliance"), "kind": request.GET.get("kind")}
    form = OpenAssessmentForm(request.POST or None, initial={k: v for k, v in initial.items() if v})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.open_assessment(data["alliance"], by=request.user, kind=data["kind"],
                                                  due_date=data["due_date"], comment=data["comment"])
        except WorkflowError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The assessment is open; the chairman unit has been asked for its "
                                        "self-assessment."))
            return redirect(assessment)
    return render(request, "assessments/open.html", {"form": form})


# --- The assessment page -----------------------------------------------------------------------------


def _figure_rows(report: SelfAssessment) -> list[dict]:
    rows = []
    for name in SelfAssessment.FIGURES:
        recorded = report.portal_figures.get(name)
        declared = getattr(report, name)
        rows.append({
            "name": name, "label": report._meta.get_field(name).verbose_name, "declared": declared,
            "recorded": recorded,
            "differs": recorded is not None and declared is not None and Decimal(str(declared)) != Decimal(str(recorded)),
        })
    return rows


def _detail_context(request, assessment: AssessmentRound, **forms) -> dict:
    user = request.user
    alliance = assessment.alliance
    report = getattr(assessment, "self_assessment", None) if not assessment.is_reassessment else None
    manage = user.has_perm("assessments.manage_assessments")
    context = {
        "assessment": assessment, "alliance": alliance, "report": report, "manage": manage,
        "rules": AssessmentRules.current(),
        "can_edit": user.has_perm("assessments.edit_self_assessment", assessment),
        "timeline": timeline(alliance), "today": timezone.localdate(),
        "rectification": Rectification.objects.filter(round=assessment).first(),
        "reassessed": Rectification.objects.filter(reassessment=assessment).first(),
        "stage": selectors.current_stage(alliance),
    }
    if assessment.outcome == AssessmentRound.Outcome.DEMONSTRATION:
        context["certificate"] = Designation.objects.filter(
            alliance=alliance, level=Designation.Level.DEMONSTRATION, revoked_at__isnull=True).first()
    if report is not None:
        context["evidence"] = _evidence_of(report)
        context["figures"] = _figure_rows(report)
        context["achievements"] = report.target_achievements.select_related("target")
    if manage:
        assignments = list(assessment.assignments.select_related("expert__user", "expert__affiliation"))
        choices = selectors.expert_choices(assessment)
        conflicts = review_services.conflicts_of_interest(list(choices), alliance)
        submitted = [a for a in assignments if a.submitted_at]
        projected = services.mean_total(a.total_score for a in submitted)
        context.update(
            assignments=assignments, conflicts=[(e, conflicts[e.pk]) for e in choices if e.pk in conflicts],
            by_criterion=selectors.scores_by_criterion(assessment), projected_total=projected,
            projected_grade=services.grade_for(projected, context["rules"]) if projected is not None else "",
            pending=[a for a in assignments if not a.submitted_at],
            # One rule wherever an expert is chosen (reviews.services.conflicts_of_interest): a conflicted
            # expert is not offered, as in the application's assignment; the list below says why.
            assign_form=forms.get("assign_form") or AssignExpertForm(
                experts=choices.exclude(pk__in=list(conflicts))),
            stage_form=forms.get("stage_form") or LifecycleStageForm(current=context["stage"]),
            stage_history=selectors.stage_history(alliance),
        )
        if assessment.is_reassessment:
            context["decision_form"] = forms.get("decision_form") or ReassessmentDecisionForm()
        else:
            context["decision_form"] = forms.get("decision_form") or DecisionForm()
    return context


@login_required
def assessment_detail(request, pk: int):
    assessment = _visible_round(request, pk)
    _need(request, "assessments.view_assessment", assessment)
    return render(request, "assessments/assessment_detail.html", _detail_context(request, assessment))


def _back_to(assessment, anchor=""):
    return redirect(reverse("assessments:detail", args=[assessment.pk]) + anchor)


@login_required
@require_POST
def assign_expert(request, pk: int):
    assessment = _visible_round(request, pk)
    _need(request, "assessments.manage_assessments")
    form = AssignExpertForm(request.POST, experts=selectors.expert_choices(assessment))
    if form.is_valid():
        try:
            services.assign_expert(assessment, expert=form.cleaned_data["expert"], by=request.user)
        except WorkflowError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("%(expert)s has been asked to score the assessment.")
                             % {"expert": form.cleaned_data["expert"]})
            return _back_to(assessment, "#experts")
    return render(request, "assessments/assessment_detail.html",
                  _detail_context(request, assessment, assign_form=form), status=400)


@login_required
@require_POST
def withdraw_expert(request, pk: int, assignment_pk: int):
    assessment = _visible_round(request, pk)
    _need(request, "assessments.manage_assessments")
    assignment = get_object_or_404(AssessmentExpertAssignment, round=assessment, pk=assignment_pk)
    try:
        services.withdraw_expert(assignment, by=request.user)
    except WorkflowError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The expert has been taken off this assessment."))
    return _back_to(assessment, "#experts")


@login_required
@require_POST
def decide(request, pk: int):
    assessment = _visible_round(request, pk)
    _need(request, "assessments.manage_assessments")
    if assessment.is_reassessment:
        form = ReassessmentDecisionForm(request.POST)
    else:
        form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if assessment.is_reassessment:
                services.decide_reassessment(assessment, by=request.user, restore=data["decision"] == "restore",
                                             comment=data["comment"])
            else:
                services.decide_outcome(assessment, by=request.user, comment=data["comment"],
                                        rectification_deadline=data["rectification_deadline"],
                                        required_actions=data["required_actions"])
        except WorkflowError as error:
            problems = _refused(request, error, form)
            context = _detail_context(request, assessment, decision_form=form)
            context["decision_problems"] = problems
            return render(request, "assessments/assessment_detail.html", context, status=409)
        assessment.refresh_from_db()
        messages.success(request, _("Decided: %(outcome)s.") % {"outcome": assessment.get_outcome_display()})
        return _back_to(assessment)
    return render(request, "assessments/assessment_detail.html",
                  _detail_context(request, assessment, decision_form=form), status=400)


@login_required
@require_POST
def set_stage(request, pk: int):
    assessment = _visible_round(request, pk)
    _need(request, "assessments.manage_assessments")
    form = LifecycleStageForm(request.POST, current=selectors.current_stage(assessment.alliance))
    if form.is_valid():
        try:
            row = services.set_lifecycle_stage(assessment.alliance, by=request.user, assessment=assessment,
                                               stage=form.cleaned_data["stage"], health=form.health(),
                                               reason=form.cleaned_data["reason"])
        except WorkflowError as error:
            _refused(request, error, form)
        else:
            if row is None:
                messages.info(request, _("The alliance already stands in this stage with these ratings."))
            else:
                messages.success(request, _("Life-cycle stage set to “%(stage)s”, with the six health dimensions "
                                            "rated.") % {"stage": row.get_stage_display()})
            return _back_to(assessment, "#lifecycle")
    return render(request, "assessments/assessment_detail.html",
                  _detail_context(request, assessment, stage_form=form), status=400)


# --- The alliance's self-assessment ------------------------------------------------------------------


def _achievement_initial(report: SelfAssessment):
    rows = list(report.target_achievements.select_related("target"))
    initial = [{"id": r.pk, "achieved_value": plain(r.achieved_value), "note": r.note} for r in rows]
    return rows, initial


@login_required
def self_assessment(request, pk: int):
    assessment = _visible_round(request, pk)
    report = get_object_or_404(SelfAssessment, round=assessment)
    _need(request, "assessments.edit_self_assessment", assessment)
    rows, initial = _achievement_initial(report)
    problems = []
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, instance=report)
        targets = TargetAchievementFormSet(request.POST, initial=initial, prefix="targets")
        evidence = SelfAssessmentEvidenceForm(request.POST, request.FILES, prefix="evidence", optional=True)
        if all([form.is_valid(), targets.is_valid(), evidence.is_valid()]):
            values = {name: form.cleaned_data[name] for name in SelfAssessment.FIGURES + SelfAssessment.NARRATIVE}
            achieved = {row["id"]: (row["achieved_value"], row["note"]) for row in targets.cleaned_data if row}
            try:
                report = services.save_self_assessment(report, by=request.user, values=values, achievements=achieved)
                if evidence.cleaned_data["files"]:
                    services.add_self_assessment_evidence(
                        report, by=request.user, uploads=evidence.cleaned_data["files"],
                        kind=evidence.cleaned_data["kind"], description=evidence.cleaned_data["description"])
                if "submit" in request.POST:
                    services.submit_self_assessment(report, by=request.user)
            except WorkflowError as error:
                problems = _refused(request, error, form)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Your self-assessment has been submitted to the bureau."))
                    return redirect(assessment)
                messages.success(request, _("Draft saved."))
                return redirect("assessments:self_assessment", pk=assessment.pk)
        else:
            messages.error(request, _("Please correct the fields marked below; nothing has been saved yet."))
            if request.FILES:
                messages.warning(request, _("Choose the files to attach again: a browser does not keep them."))
    else:
        form = SelfAssessmentForm(instance=report)
        targets = TargetAchievementFormSet(initial=initial, prefix="targets")
        evidence = SelfAssessmentEvidenceForm(prefix="evidence", optional=True)
        problems = services.self_assessment_problems(report) if report.updated_at else []
    return render(request, "assessments/self_assessment_form.html", {
        "assessment": assessment, "alliance": assessment.alliance, "report": report, "form": form,
        "targets": targets, "target_rows": list(zip(rows, targets.forms, strict=True)), "problems": problems,
        "recorded": report.portal_figures, "evidence_form": evidence, "evidence": _evidence_of(report),
    })


def _evidence_of(report: SelfAssessment):
    return report.attachments.select_related("uploaded_by")


def _visible_evidence(request, pk: int) -> SelfAssessmentAttachment:
    """A self-assessment's file: for whoever sees the assessment, and for the experts asked to score it."""
    attachment = get_object_or_404(
        SelfAssessmentAttachment.objects.select_related("self_assessment__round__alliance"), pk=pk)
    assessment = attachment.self_assessment.round
    if selectors.rounds_visible_to(request.user).filter(pk=assessment.pk).exists():
        _need(request, "assessments.view_assessment", assessment)
    elif not selectors.assignments_of(request.user).filter(round=assessment).exists():
        raise Http404
    return attachment


@login_required
def self_assessment_evidence(request, pk: int):
    attachment = _visible_evidence(request, pk)
    return stored_file(attachment.file, filename=attachment.original_name, content_type=attachment.content_type,
                       as_attachment=not attachment.is_image, etag=attachment.sha256)


@login_required
@require_POST
def self_assessment_evidence_delete(request, pk: int):
    attachment = _visible_evidence(request, pk)
    assessment = attachment.self_assessment.round
    _need(request, "assessments.edit_self_assessment", assessment)
    try:
        services.remove_self_assessment_evidence(attachment, by=request.user)
    except WorkflowError as error:
        _refused(request, error)
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect(reverse("assessments:self_assessment", args=[assessment.pk]) + "#section-evidence")


# --- Experts -----------------------------------------------------------------------------------------


@login_required
def scorecard_list(request):
    _need(request, "assessments.view_scorecards")
    assignments = selectors.assignments_of(request.user)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/scorecard_list.html", {"page": page, "query": ""})


@login_required
def scorecard(request, pk: int):
    assignment = get_object_or_404(selectors.assignments_of(request.user), pk=pk)
    _need(request, "assessments.view_assignment", assignment)
    assessment = assignment.round
    criteria = list(active_criteria())
    can_score = request.user.has_perm("assessments.score_assessment", assignment)
    form = ScorecardForm(request.POST or None, criteria=criteria) if can_score else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This scorecard can no longer be changed."))
            return redirect("assessments:scorecard", pk=assignment.pk)
        if form.is_valid():
            try:
                services.submit_score(assignment, by=request.user, scores=form.scores(),
                                      opinion=form.cleaned_data["opinion"], remarks=form.remarks())
            except WorkflowError as error:
                _refused(request, error, form)
            else:
                messages.success(request, _("Your scores have been submitted. Thank you."))
                return redirect("assessments:scorecards")
    report = getattr(assessment, "self_assessment", None)
    return render(request, "assessments/scorecard.html", {
        "assignment": assignment, "assessment": assessment, "alliance": assessment.alliance, "form": form,
        "report": report, "figures": _figure_rows(report) if report else [],
        "evidence": _evidence_of(report) if report else [],
        "achievements": report.target_achievements.select_related("target") if report else [],
        "scores": assignment.scores.select_related("criterion") if assignment.submitted_at else [],
        "reassessed": Rectification.objects.filter(reassessment=assessment).first(),
    })


# --- Rectification -----------------------------------------------------------------------------------


def _visible_rectification(request, pk: int) -> Rectification:
    rounds = selectors.rounds_visible_to(request.user)
    return get_object_or_404(
        Rectification.objects.filter(round__in=rounds).select_related("alliance", "round", "reassessment"), pk=pk)


@login_required
def rectification(request, pk: int):
    item = _visible_rectification(request, pk)
    _need(request, "assessments.view_rectification", item)
    can_report = request.user.has_perm("assessments.report_rectification", item)
    form = RectificationReportForm(request.POST or None) if can_report else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.submit_rectification_report(item, by=request.user, report=form.cleaned_data["report"])
            except WorkflowError as error:
                _refused(request, error, form)
            else:
                messages.success(request, _("Your rectification report has been sent to the bureau."))
                return redirect("assessments:rectification", pk=item.pk)
    return render(request, "assessments/rectification.html", {
        "rectification": item, "alliance": item.alliance, "form": form, "today": timezone.localdate(),
        "manage": request.user.has_perm("assessments.manage_assessments"),
    })


@login_required
@require_POST
def open_reassessment(request, pk: int):
    item = _visible_rectification(request, pk)
    _need(request, "assessments.manage_assessments")
    try:
        reassessment = services.open_reassessment(item, by=request.user, comment=request.POST.get("comment", ""))
    except WorkflowError as error:
        _refused(request, error)
        return redirect("assessments:rectification", pk=item.pk)
    messages.success(request, _("The re-assessment is open."))
    return redirect(reassessment)
