"""Pages of projects. Views are thin: they find the object through a visibility-filtered queryset
(another alliance's project is a 404), check the permission, bind a form and call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.core.downloads import stored_file
from alliance_portal.core.errors import NotEligible, WorkflowError
from alliance_portal.core.pagination import shown_page
from alliances.models import Alliance

from . import exports, selectors, services, tally, workflow
from .errors import InvalidReport
from .filters import ProjectFilter
from .forms import (
    CHANGE_FORMS,
    AcknowledgeForm,
    ActivityEvidenceForm,
    ActivityForm,
    ApproveForm,
    AttachmentForm,
    DecisionForm,
    DevelopmentPlanForm,
    ProgressReportForm,
    ProjectFiling,
    ReportPeriodForm,
)
from .models import (
    Activity,
    ActivityAttachment,
    ChangeRequest,
    DevelopmentPlan,
    ProgressReport,
    Project,
    ProjectAttachment,
)

PAGE_SIZE = 20


def _visible_project(request, pk, *related):
    queryset = Project.objects.visible_to(request.user).select_related("alliance", "sector", "lead_unit", *related)
    return get_object_or_404(queryset, pk=pk)


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _refusal(request, refusal: WorkflowError) -> None:
    messages.error(request, refusal.message)
    for problem in getattr(refusal, "problems", []):
        messages.warning(request, problem)


# --- lists and exports -------------------------------------------------------------------------


def _filtered(request, rows):
    return ProjectFilter(request.GET or None, queryset=rows, user=request.user, request=request)


@login_required
def project_list(request):
    project_filter = _filtered(request, selectors.project_rows(request.user))
    rows = project_filter.qs  # validates the filters
    known = tally.list_count(request.user, project_filter.form.cleaned_data if project_filter.is_bound else {})
    page = shown_page(rows, request.GET.get("page"), selectors.with_monitoring(Project.objects.all()), PAGE_SIZE,
                      count=known)
    for project in page.object_list:
        project.investment_ratio = selectors.investment_ratio(project)
    return render(request, "projects/project_list.html", {
        "filter": project_filter, "page_obj": page, "projects": page.object_list, "count": page.paginator.count,
        "may_file_for": selectors.alliances_user_may_file_for(request.user),
        "sees_all": request.user.has_perm("projects.view_all_projects"),
        "export_query": request.GET.urlencode(),
    })


@login_required
def project_export(request, fmt):
    projects = _filtered(request, selectors.project_list(request.user)).qs
    if fmt == "xlsx":
        return exports.as_xlsx(projects)
    if fmt == "csv":
        return exports.as_csv(projects)
    raise Http404


# --- filing ------------------------------------------------------------------------------------


@login_required
def project_create(request, alliance_pk):
    alliance = get_object_or_404(Alliance.objects.visible_to(request.user).select_related("sector"), pk=alliance_pk)
    _require(request, "projects.file_project", alliance)
    filing = ProjectFiling(alliance=alliance, user=request.user, data=request.POST or None)
    if request.method == "POST" and filing.is_valid():
        try:
            project = filing.save(by=request.user)
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The project was saved as a draft. Check it and submit it to the bureau."))
            return redirect("projects:detail", pk=project.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the fields marked below."))
    return render(request, "projects/project_form.html", {"filing": filing, "alliance": alliance})


@login_required
def project_edit(request, pk):
    project = _visible_project(request, pk)
    _require(request, "projects.edit_project", project)
    filing = ProjectFiling(alliance=project.alliance, user=request.user, instance=project,
                           data=request.POST or None)
    if request.method == "POST" and filing.is_valid():
        try:
            filing.save(by=request.user)
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("projects:detail", pk=project.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the fields marked below."))
    return render(request, "projects/project_form.html",
                  {"filing": filing, "alliance": project.alliance, "project": project})


# --- the project page --------------------------------------------------------------------------


def _actions_for(user, project) -> list[workflow.Transition]:
    """The transitions the user may start from the project's current state (for the buttons)."""
    return [step for step in workflow.actions_from(project.state) if services.may_act(step, project, user)]


@login_required
def project_detail(request, pk):
    queryset = selectors.with_monitoring(Project.objects.visible_to(request.user)).prefetch_related(
        "participants__organisation", "milestones", "budget_years",
        Prefetch("attachments", queryset=ProjectAttachment.objects.select_related("uploaded_by")),
        Prefetch("reports", queryset=ProgressReport.objects.select_related("submitted_by").order_by("-period_start")),
        Prefetch("change_requests", queryset=ChangeRequest.objects.select_related("requested_by", "decided_by")),
    )
    project = get_object_or_404(queryset, pk=pk)
    user = request.user
    budget = list(project.budget_years.all())
    context = {
        "project": project,
        "budget": budget,
        "budget_totals": {source: sum(getattr(line, source) for line in budget)
                          for source in ("self_raised", "bank_loans", "government", "other")},
        "timeline": selectors.timeline(project),
        "history": selectors.change_history(project),
        "investment_ratio": selectors.investment_ratio(project),
        "outputs": selectors.outputs_against_plan(project),
        "actions": _actions_for(user, project),
        "may_edit": user.has_perm("projects.edit_project", project),
        "may_report": user.has_perm("projects.report_progress", project),
        "may_request_change": user.has_perm("projects.request_change", project),
        "may_decide": user.has_perm("projects.decide_project", project),
        "may_set_period": user.has_perm("projects.set_report_period", project) and project.state in workflow.RUNNING,
        "change_kinds": ChangeRequest.Kind.choices,
        "next_period": services.next_period(project) if project.state in workflow.REPORTING else None,
    }
    if context["may_edit"]:
        context["problems"] = services.submission_problems(project)
        context["attachment_form"] = AttachmentForm()
    if context["may_set_period"]:
        context["period_form"] = ReportPeriodForm(initial={"report_period_months": project.report_period_months})
    return render(request, "projects/project_detail.html", context)


@login_required
@require_POST
def project_submit(request, pk):
    project = _visible_project(request, pk)
    try:
        if services.submit_project(project, by=request.user, comment=request.POST.get("comment", "")):
            messages.success(request, _("The project was submitted to the bureau."))
    except NotEligible as refusal:
        _refusal(request, refusal)
    except WorkflowError as refusal:
        _refusal(request, refusal)
    return redirect("projects:detail", pk=project.pk)


@login_required
def project_transition(request, pk, action):
    """A decision or step that needs only a comment: return, reject, terminate, acceptance, start of work."""
    project = _visible_project(request, pk)
    if action not in workflow.ACTIONS or action in ("approve", "submit", "resubmit"):
        raise Http404
    step = workflow.find(action, project.state)
    if step is None:
        messages.error(request, _("This project is “%(state)s”; “%(action)s” is not possible now.")
                       % {"state": project.get_state_display(), "action": workflow.label_of(action)})
        return redirect("projects:detail", pk=project.pk)
    if not services.may_act(step, project, request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, comment_required=step.comment_required)
    if request.method == "POST" and form.is_valid():
        try:
            services.transition_project(project, action=action, by=request.user,
                                        comment=form.cleaned_data["comment"])
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("Done: the project is now “%(state)s”.") % {"state": project.get_state_display()})
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/decision_form.html", {"project": project, "step": step, "form": form})


@login_required
def project_approve(request, pk):
    project = _visible_project(request, pk)
    _require(request, "projects.decide_project", project)
    form = ApproveForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_project(project, by=request.user, granted_funding=form.cleaned_data["granted_funding"],
                                     comment=form.cleaned_data["comment"])
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The project was approved with number %(number)s.")
                             % {"number": project.approval_number})
        return redirect("projects:detail", pk=project.pk)
    step = workflow.find("approve", project.state)
    if step is None:  # approved already, or not submitted: there is no decision to show
        messages.error(request, _("This project is “%(state)s”; “%(action)s” is not possible now.")
                       % {"state": project.get_state_display(), "action": workflow.label_of("approve")})
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/decision_form.html",
                  {"project": project, "step": step, "form": form, "approving": True})


@login_required
@require_POST
def project_period(request, pk):
    project = _visible_project(request, pk)
    _require(request, "projects.set_report_period", project)
    form = ReportPeriodForm(request.POST)
    if form.is_valid():
        try:
            services.set_report_period(project, by=request.user, months=form.cleaned_data["report_period_months"])
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The reporting period is now: %(period)s.")
                             % {"period": project.get_report_period_months_display()})
    else:
        messages.error(request, _("Choose a reporting period from the list."))
    return redirect("projects:detail", pk=project.pk)


# --- attachments -------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request, pk):
    project = _visible_project(request, pk)
    _require(request, "projects.edit_project", project)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(project=project, by=request.user, upload=form.cleaned_data["file"],
                                    description=form.cleaned_data["description"])
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The file was attached."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, _("The file was not attached: %(reason)s") % {"reason": error})
    return redirect("projects:detail", pk=project.pk)


def _visible_attachment(request, pk):
    attachment = get_object_or_404(ProjectAttachment.objects.select_related("project"), pk=pk)
    if not Project.objects.visible_to(request.user).filter(pk=attachment.project_id).exists():
        raise Http404
    return attachment


@login_required
def attachment_download(request, pk):
    attachment = _visible_attachment(request, pk)
    _require(request, "projects.view_project", attachment.project)
    return stored_file(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = _visible_attachment(request, pk)
    try:
        services.delete_attachment(attachment=attachment, by=request.user)
    except WorkflowError as refusal:
        _refusal(request, refusal)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("projects:detail", pk=attachment.project_id)


# --- progress reports --------------------------------------------------------------------------


@login_required
def report_create(request, pk):
    project = _visible_project(request, pk, "latest_report")
    _require(request, "projects.report_progress", project)
    period = services.next_period(project)
    if period is None:
        messages.info(request, _("There is no period to report on yet."))
        return redirect("projects:detail", pk=project.pk)
    previous = project.latest_report
    form = ProgressReportForm(request.POST or None, project=project, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.submit_progress_report(
                project, by=request.user, period_start=period.start, values=form.values(),
                milestones_reached=[m.pk for m in form.cleaned_data["milestones_reached"]])
        except InvalidReport as refusal:
            for field, message in refusal.errors.items():
                form.add_error(field, message)
            messages.error(request, refusal.message)
        except WorkflowError as refusal:
            _refusal(request, refusal)
            return redirect("projects:detail", pk=project.pk)
        else:
            if report.is_late:
                messages.warning(request, _("The report was filed after its due date and is marked late."))
            messages.success(request, _("The progress report for %(period)s was filed.") % {"period": period.label})
            return redirect("projects:report_detail", pk=report.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the fields marked below."))
    return render(request, "projects/report_form.html",
                  {"project": project, "form": form, "period": period, "previous": previous})


@login_required
def report_detail(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("project__alliance", "submitted_by").prefetch_related("milestones_reached"), pk=pk)
    return render(request, "projects/report_detail.html", {"report": report, "project": report.project})


# --- change requests ---------------------------------------------------------------------------


@login_required
def change_create(request, pk, kind):
    project = _visible_project(request, pk)
    _require(request, "projects.request_change", project)
    form_class = CHANGE_FORMS.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.request_change(project, by=request.user, kind=kind,
                                             justification=form.cleaned_data["justification"],
                                             proposed=form.proposed())
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The change request was sent to the bureau."))
            return redirect("projects:change_detail", pk=change.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the fields marked below."))
    return render(request, "projects/change_form.html",
                  {"project": project, "form": form, "kind_label": ChangeRequest.Kind(kind).label})


@login_required
def change_detail(request, pk):
    change = get_object_or_404(
        ChangeRequest.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("project__alliance", "requested_by", "decided_by"), pk=pk)
    may_decide = (request.user.has_perm("projects.decide_change", change.project)
                  and change.status == ChangeRequest.Status.PENDING)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("projects.decide_change", change.project):
            raise PermissionDenied
        approve = request.POST.get("decision") == "approve"
        if form.is_valid():
            try:
                services.decide_change(change, by=request.user, approve=approve, comment=form.cleaned_data["comment"])
            except WorkflowError as refusal:
                _refusal(request, refusal)
            else:
                messages.success(request, _("The change request is now “%(status)s”.")
                                 % {"status": change.get_status_display()})
            return redirect("projects:change_detail", pk=change.pk)
    return render(request, "projects/change_detail.html", {
        "change": change, "project": change.project, "form": form, "may_decide": may_decide,
        "rows": selectors.change_rows(change),
    })


# --- alliance operation records ----------------------------------------------------------------


def _visible_alliance(request, alliance_pk):
    alliance = get_object_or_404(Alliance.objects.visible_to(request.user).select_related("sector"), pk=alliance_pk)
    _require(request, "projects.view_alliance_records", alliance)
    return alliance


@login_required
def alliance_overview(request, alliance_pk):
    alliance = _visible_alliance(request, alliance_pk)
    return render(request, "projects/alliance_overview.html", {
        "alliance": alliance, "indicators": selectors.alliance_indicators(alliance),
        "may_file_records": request.user.has_perm("projects.file_alliance_records", alliance),
    })


@login_required
def activity_list(request, alliance_pk):
    alliance = _visible_alliance(request, alliance_pk)
    may_record = request.user.has_perm("projects.file_alliance_records", alliance)
    form = ActivityForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                activity = services.record_activity(alliance=alliance, by=request.user,
                                                    activity=form.save(commit=False))
            except WorkflowError as refusal:
                _refusal(request, refusal)
            else:
                messages.success(request, _("The activity was recorded. Now file its evidence: photos, the "
                                            "sign-in sheet, the minutes."))
                return redirect(activity)
        else:
            messages.error(request, _("Please correct the fields marked below."))
    evidence = {f"{kind}_count": Count("attachments", filter=Q(attachments__kind=kind))
                for kind in ActivityAttachment.Kind.values}
    rows = (Activity.objects.filter(alliance=alliance).select_related("recorded_by").annotate(**evidence)
            .order_by("-date", "-pk"))
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "projects/activity_list.html", {
        "alliance": alliance, "page_obj": page, "activities": page.object_list, "count": paginator.count,
        "form": form if may_record else None, "indicators": selectors.alliance_indicators(alliance),
    })


@login_required
def activity_detail(request, alliance_pk, pk):
    alliance = _visible_alliance(request, alliance_pk)
    activity = get_object_or_404(Activity.objects.select_related("recorded_by"), alliance=alliance, pk=pk)
    may_file = request.user.has_perm("projects.file_alliance_records", alliance)
    form = ActivityEvidenceForm(request.POST or None, request.FILES or None) if may_file else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                rows = services.add_activity_evidence(activity=activity, by=request.user,
                                                      uploads=form.cleaned_data["files"],
                                                      kind=form.cleaned_data["kind"],
                                                      description=form.cleaned_data["description"])
            except InvalidReport as refusal:
                for field, message in refusal.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except WorkflowError as refusal:
                _refusal(request, refusal)
            else:
                skipped = len(form.cleaned_data["files"]) - len(rows)
                messages.success(request, _("%(count)d file(s) filed.") % {"count": len(rows)})
                if skipped:
                    messages.info(request, _("%(count)d file(s) were filed here already and were skipped.")
                                  % {"count": skipped})
                return redirect(activity)
        if form.errors:
            status = 400
            messages.error(request, _("No file was filed: correct the fields marked below and choose the files "
                                      "again."))
    attachments = activity.attachments.select_related("uploaded_by")
    return render(request, "projects/activity_detail.html", {
        "alliance": alliance, "activity": activity, "attachments": attachments, "form": form,
    }, status=status)


def _visible_activity_evidence(request, pk) -> ActivityAttachment:
    """Evidence of an activity of an alliance the user may see; anyone else's is a 404."""
    visible = Alliance.objects.visible_to(request.user).values("pk")
    attachment = get_object_or_404(
        ActivityAttachment.objects.select_related("activity__alliance").filter(activity__alliance__in=visible), pk=pk)
    _require(request, "projects.view_alliance_records", attachment.activity.alliance)
    return attachment


@login_required
def activity_evidence_download(request, pk):
    attachment = _visible_activity_evidence(request, pk)
    return stored_file(attachment.file, filename=attachment.original_name, content_type=attachment.content_type,
                       as_attachment=not attachment.is_image, etag=attachment.sha256)


@login_required
@require_POST
def activity_evidence_delete(request, pk):
    attachment = _visible_activity_evidence(request, pk)
    activity = attachment.activity
    _require(request, "projects.file_alliance_records", activity.alliance)
    try:
        services.remove_activity_evidence(attachment=attachment, by=request.user)
    except WorkflowError as refusal:
        _refusal(request, refusal)
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect(activity)


@login_required
def plan_list(request, alliance_pk):
    alliance = _visible_alliance(request, alliance_pk)
    plans = DevelopmentPlan.objects.filter(alliance=alliance).select_related("submitted_by", "acknowledged_by")
    return render(request, "projects/plan_list.html", {
        "alliance": alliance, "plans": plans,
        "may_file": request.user.has_perm("projects.file_alliance_records", alliance),
        "may_acknowledge": request.user.has_perm("projects.acknowledge_plan"),
    })


@login_required
def plan_edit(request, alliance_pk, pk=None):
    alliance = _visible_alliance(request, alliance_pk)
    _require(request, "projects.file_alliance_records", alliance)
    plan = get_object_or_404(DevelopmentPlan, alliance=alliance, pk=pk) if pk else None
    form = DevelopmentPlanForm(request.POST or None, instance=plan, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_plan(alliance=alliance, by=request.user, plan=form.save(commit=False))
        except WorkflowError as refusal:
            _refusal(request, refusal)
        else:
            messages.success(request, _("The plan was submitted to the bureau."))
            return redirect("projects:plans", alliance_pk=alliance.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the fields marked below."))
    return render(request, "projects/plan_form.html", {"alliance": alliance, "form": form, "plan": plan})


@login_required
def plan_detail(request, alliance_pk, pk):
    alliance = _visible_alliance(request, alliance_pk)
    plan = get_object_or_404(DevelopmentPlan.objects.select_related("submitted_by", "acknowledged_by"),
                             alliance=alliance, pk=pk)
    may_acknowledge = (request.user.has_perm("projects.acknowledge_plan", plan)
                       and plan.status == DevelopmentPlan.Status.SUBMITTED)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST":
        _require(request, "projects.acknowledge_plan", plan)
        if form.is_valid():
            services.acknowledge_plan(plan, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("The plan was acknowledged."))
            return redirect("projects:plan_detail", alliance_pk=alliance.pk, pk=plan.pk)
    return render(request, "projects/plan_detail.html", {
        "alliance": alliance, "plan": plan, "form": form, "may_acknowledge": may_acknowledge,
        "may_edit": request.user.has_perm("projects.file_alliance_records", alliance)
        and plan.status == DevelopmentPlan.Status.SUBMITTED,
    })
