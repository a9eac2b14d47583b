"""Every change to a project goes through this module.

State changes go through ``transition_project``: it checks the declared table
(``projects.workflow``), the actor's role and object permission, locks the row, returns quietly
when the project already stands where it was asked to go (a second click), writes a
``ProjectTransition`` and an audit event, and notifies after commit. Filing, progress reports,
change requests and the alliance's operation records follow the same pattern.
"""

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.rules import SYSTEM
from alliance_portal.core.errors import IllegalTransition, NotEligible, NotPermitted, WorkflowError
from alliance_portal.core.workflow import Machine, apply_transition
from notifications.services import notify

from . import periods, tally, workflow
from .errors import AlreadyReported, InvalidReport
from .formatting import wan
from .models import (
    ZERO,
    Activity,
    ActivityAttachment,
    ApprovalSequence,
    BudgetYear,
    ChangeRequest,
    DevelopmentPlan,
    FundingSource,
    Milestone,
    ProgressReport,
    Project,
    ProjectAttachment,
    ProjectParticipant,
    ProjectTransition,
)
from .rules import is_project_applicant
from .selectors import (
    alliance_lead_users,
    applicant_users,
    budget_rows_of,
    bureau_officers,
    member_organisations,
    participant_rows_of,
)
from .uploads import IMAGE_TYPES, sha256_of, store_evidence
from .workflow import ProjectState

# --- helpers -----------------------------------------------------------------------------------


def _require(user, perm: str, obj, message: str) -> None:
    if user is not None and not user.has_perm(perm, obj):
        raise NotPermitted(message)


def _refused(action: str, by, obj, refusal: WorkflowError) -> None:
    audit.record(action, user=by, obj=obj, outcome=AuditEvent.Outcome.REFUSED, reason=str(refusal.message))


def project_url(project) -> str:
    return reverse("projects:detail", args=[project.pk])


def _money(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.0001")))


# --- filing ------------------------------------------------------------------------------------


def submission_problems(project: Project) -> list[str]:
    """What keeps a saved project from being submitted, in plain words (empty when it may go)."""
    problems = []
    if not member_organisations(project.alliance).filter(pk=project.lead_unit_id).exists():
        problems.append(_("The lead unit is no longer a confirmed member of the alliance."))
    if not project.milestones.exists():
        problems.append(_("Add at least one milestone."))
    budget = list(project.budget_years.all())
    if not budget:
        problems.append(_("Add the investment plan by year and source."))
    elif sum((line.total for line in budget), ZERO) != project.total_investment:
        problems.append(_("The investment plan does not add up to the total investment."))
    if project.end_date < project.start_date:
        problems.append(_("The end date is before the start date."))
    return problems


@transaction.atomic
def save_project(*, project: Project, by, participants: Iterable[ProjectParticipant],
                 milestones: Iterable[Milestone], budget_years: Iterable[BudgetYear]) -> Project:
    """Create or update a draft (or returned) project with its participants, milestones and budget.

    Precondition: the forms validated the values; the user may file for the alliance (new) or edit
    the project (existing, still editable). The child rows are replaced as a whole.
    """
    created = project.pk is None
    if created:
        _require(by, "projects.file_project", project.alliance,
                 _("Only a confirmed member of the alliance may file a project for it."))
        project.created_by = by
        project.state = ProjectState.DRAFT
    else:
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.state not in workflow.EDITABLE_BY_APPLICANT:
            raise IllegalTransition(
                _("This project is “%(state)s” and can no longer be edited. Someone else may have submitted it: "
                  "reload the page.") % {"state": locked.get_state_display()}
            )
        _require(by, "projects.edit_project", locked, _("You may not edit this project."))
    budget_years = list(budget_years)
    project.government_funding_requested = sum((line.government for line in budget_years), ZERO)
    project._change_reason = _("Filed") if created else _("Edited by the applicant")
    project._history_user = by
    with tally.kept(Project.objects.filter(pk=project.pk)):
        project.save()
    project.participants.all().delete()
    project.milestones.all().delete()
    project.budget_years.all().delete()
    for row in participants:
        row.pk, row.project = None, project
        row.save()
    for row in milestones:
        row.pk, row.project = None, project
        row.save()
    for row in budget_years:
        row.pk, row.project = None, project
        row.save()
    audit.record("project_created" if created else "project_edited", user=by, obj=project)
    return project


def add_attachment(*, project: Project, by, upload, description: str = "") -> ProjectAttachment:
    """Store a checked upload (``projects.uploads.check_upload``) privately with the editable project."""

    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require(by, "projects.edit_project", locked, _("Attachments can be added only while the project is editable."))
        attachment = ProjectAttachment(
            project=locked, original_name=upload.name[:255], description=description,
            content_type=getattr(upload, "checked_content_type", "application/octet-stream"), size=upload.size,
            sha256=sha256_of(upload), uploaded_by=by,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        audit.record("project_attachment_added", user=by, obj=locked, attachment=attachment.pk,
                     file=attachment.original_name, sha256=attachment.sha256)
    return attachment


def delete_attachment(*, attachment: ProjectAttachment, by) -> None:
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=attachment.project_id)
        _require(by, "projects.edit_project", locked, _("Attachments can be removed only while the project is editable."))
        audit.record("project_attachment_removed", user=by, obj=locked, file=attachment.original_name,
                     sha256=attachment.sha256)
        name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- the workflow ------------------------------------------------------------------------------


def _check_actor(step: workflow.Transition, project: Project, by) -> None:
    if by is SYSTEM:
        return  # the portal acting on its own (a Celery task, a migration): no person to check
    if not any(by.has_role(role) for role in step.roles):
        raise NotPermitted(_("Your role may not “%(action)s” this project.") % {"action": step.label})
    if any(by.has_role(role) for role in step.roles & workflow.OFFICER):
        return
    if not _is_applicant(by, project):
        raise NotPermitted(_("Only the lead unit or the alliance's secretariat may “%(action)s” this project.")
                           % {"action": step.label})


def may_act(step: workflow.Transition, project: Project, user) -> bool:
    """Whether the user may start this transition (used to show the buttons)."""
    try:
        _check_actor(step, project, user)
    except NotPermitted:
        return False
    return True


def _is_applicant(by, project) -> bool:
    return bool(by.has_role(Role.MEMBER) and is_project_applicant(by, project))


PROJECT = Machine(
    name="project_transition",
    model=Project,
    record=ProjectTransition,
    subject="project",
    table=workflow.TRANSITIONS,
    check_actor=_check_actor,
    audit=audit.record,
    illegal=lambda project, label: (
        _("This project is “%(state)s”; “%(action)s” is not possible now. "
          "Someone else may have acted on it already: reload the page.")
        % {"state": project.get_state_display(), "action": label}),
    comment_missing=lambda step: _("Give the reasons: the applicant will read them."),
    refresh_fields=("state", "state_changed_at", "submitted_at", "approval_number", "approved_at", "granted_funding",
                    "next_report_due", "report_period_months"),
    around_save=lambda locked: tally.kept(Project.objects.filter(pk=locked.pk)),
    notify=lambda record: _notify_transition(record),
)


def transition_project(project: Project, *, action: str, by, comment: str = "",
                       before_save: Callable[[Project], Iterable[str]] | None = None) -> ProjectTransition | None:
    """Apply ``action`` to the project (``apply_transition`` on ``PROJECT``, the table ``projects.workflow``).

    Returns the new transition record, or None when the project already stands in the action's
    target state. ``before_save(locked)`` may change the locked row (returning the names of the
    fields it changed) or raise a ``WorkflowError`` inside the same transaction.
    """
    return apply_transition(PROJECT, project, action=action, by=by, comment=comment, before_save=before_save)


def _refresh(project: Project, locked: Project) -> None:
    for field in PROJECT.refresh_fields:
        setattr(project, field, getattr(locked, field))


def submit_project(project: Project, *, by, comment: str = "") -> ProjectTransition | None:
    """Submit (or resubmit) a complete draft to the bureau. Raises ``NotEligible`` listing what is missing."""

    def check(locked):
        problems = submission_problems(locked)
        if problems:
            raise NotEligible(_("The project cannot be submitted yet."), problems)
        locked.submitted_at = timezone.now()
        return ["submitted_at"]

    action = "resubmit" if project.state == ProjectState.RETURNED else "submit"
    return transition_project(project, action=action, by=by, comment=comment, before_save=check)


def next_approval_number(year: int) -> str:
    """The next approval number of the year (LM-2026-0001), safe when officers approve at the same moment.

    Must run inside a transaction: the year's sequence row stays locked until it commits.
    """
    ApprovalSequence.objects.bulk_create([ApprovalSequence(year=year)], ignore_conflicts=True)
    sequence = ApprovalSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = getattr(settings, "PROJECT_APPROVAL_PREFIX", "LM")
    return f"{prefix}-{year}-{sequence.last:04d}"


def approve_project(project: Project, *, by, granted_funding: Decimal, comment: str = "") -> ProjectTransition | None:
    """Approve (立项) a submitted project: an approval number of the year and the granted government funding."""
    granted_funding = Decimal(granted_funding)

    def approve(locked):
        if granted_funding < 0:
            raise WorkflowError(_("The granted funding cannot be negative."))
        if granted_funding > locked.government_funding_requested:
            raise WorkflowError(
                _("The granted funding (%(granted)s) exceeds the government funding requested (%(requested)s).")
                % {"granted": wan(granted_funding), "requested": wan(locked.government_funding_requested)}
            )
        now = timezone.now()
        locked.approved_at = now
        locked.approval_number = next_approval_number(timezone.localdate(now).year)
        locked.granted_funding = granted_funding
        locked.next_report_due = _next_report_due(locked)
        return ["approved_at", "approval_number", "granted_funding", "next_report_due"]

    return transition_project(project, action="approve", by=by, comment=comment, before_save=approve)


def decide_project(project: Project, *, action: str, by, comment: str = "") -> ProjectTransition | None:
    """An officer's decision other than approval (return, reject, pass or fail acceptance, terminate)."""
    if action == "approve":
        raise ValueError("use approve_project() to approve")
    return transition_project(project, action=action, by=by, comment=comment)


def _notify_transition(record: ProjectTransition) -> None:

    project = record.project
    title = _("Project “%(title)s”: %(state)s") % {"title": project.title,
                                                    "state": ProjectState(record.target).label}
    if record.target == ProjectState.SUBMITTED:
        notify(bureau_officers(), kind="project_submitted", title=title, body=record.comment, url=project_url(project))
    else:
        body = record.comment
        if record.target == ProjectState.APPROVED:
            body = _("Approval number %(number)s; granted funding %(funding)s (10k CNY).") % {
                "number": project.approval_number, "funding": wan(project.granted_funding)} + (
                f"\n{record.comment}" if record.comment else "")
        notify(applicant_users(project), kind=f"project_{record.target}", title=title, body=body,
               url=project_url(project))


# --- reporting ---------------------------------------------------------------------------------


def _reported_ranges(project: Project) -> list[tuple[date, date]]:
    return list(project.reports.values_list("period_start", "period_end"))


def _next_report_due(project: Project) -> date | None:
    """The due date of the earliest period without a report, or None when every period is reported."""
    if project.state not in workflow.REPORTING and project.approved_at is None:
        return None
    remaining = periods.unreported_periods(project, _reported_ranges(project))
    return remaining[0].due_date if remaining else None


def next_period(project: Project, *, today: date | None = None) -> periods.Period | None:
    """The period the next report must cover (reports are filed in order), or None if none has begun."""
    today = today or periods.local_today()
    remaining = periods.unreported_periods(project, _reported_ranges(project))
    if not remaining or remaining[0].start > today:
        return None
    return remaining[0]


def report_figure_errors(values: dict, previous: ProgressReport | None) -> dict[str, str]:
    """Cumulative figures that went down since the previous report without an explanation."""
    if previous is None or (values.get("decrease_explanation") or "").strip():
        return {}
    errors = {}
    for name in ProgressReport.CUMULATIVE_FIELDS:
        before, now = getattr(previous, name), values.get(name)
        if now is not None and now < before:
            errors[name] = _("Lower than in the previous report (%(before)s): explain why below.") % {"before": before}
    if previous.started and values.get("started") is False:
        errors["started"] = _("The previous report said work had started: explain why below.")
    if errors:
        errors.setdefault("decrease_explanation", _("Explain why the figures are lower than in the previous report."))
    return errors


def submit_progress_report(project: Project, *, by, period_start: date, values: dict,
                           milestones_reached: Iterable[int] = ()) -> ProgressReport:
    """File the progress report for the project's next period. Cumulative figures may not go down
    without an explanation; a period already reported is refused; a report after the due date is late."""
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=project.pk)
            _require(by, "projects.report_progress", locked,
                     _("Only the lead unit or the alliance's secretariat may report on a running project."))
            if locked.state not in workflow.REPORTING:
                raise IllegalTransition(_("This project is “%(state)s”: it does not report progress.")
                                        % {"state": locked.get_state_display()})
            reported = _reported_ranges(locked)
            target = next((p for p in periods.project_periods(
                start_date=locked.start_date, end_date=locked.end_date, months=locked.report_period_months,
                from_date=periods.first_reporting_day(locked)) if p.start == period_start), None)
            if target is not None and any(target.overlaps(start, end) for start, end in reported):
                raise AlreadyReported(_("The period %(period)s has been reported already.") % {"period": target.label})
            period = next_period(locked)
            if target is None or period is None or period.start != target.start:
                raise IllegalTransition(_("Report the periods in order: the next report covers %(period)s.")
                                        % {"period": period.label if period else _("no period yet")})
            previous = locked.latest_report
            errors = report_figure_errors(values, previous)
            if errors:
                raise InvalidReport(_("Some figures are lower than in the previous report."), errors)
            submitted_at = timezone.now()
            report = ProgressReport(project=locked, period_start=period.start, period_end=period.end,
                                    due_date=period.due_date, submitted_by=by, submitted_at=submitted_at,
                                    is_late=timezone.localdate(submitted_at) > period.due_date, **values)
            total = sum((getattr(report, f"completed_{source}") for source in FundingSource.values), ZERO)
            report.investment_increase = total - (previous.completed_investment if previous else ZERO)
            try:
                with transaction.atomic():
                    report.save()
            except IntegrityError as clash:
                raise AlreadyReported(_("The period %(period)s has been reported already.")
                                      % {"period": period.label}) from clash
            report.refresh_from_db(fields=["completed_investment"])
            reached_on = min(period.end, timezone.localdate(submitted_at))
            locked.milestones.filter(pk__in=list(milestones_reached), reached_on__isnull=True).update(
                reached_on=reached_on, reached_report=report)
            reported = locked.take_latest_report(report)
            locked.next_report_due = _next_report_due(locked)
            with tally.kept(Project.objects.filter(pk=locked.pk)):
                locked.save(update_fields=[*reported, "next_report_due", "updated_at"])
            audit.record("progress_report_submitted", user=by, obj=locked, report=report.pk,
                         period=str(period.start), late=report.is_late)
            transaction.on_commit(lambda: _notify_report(report))
            if report.started and locked.state == ProjectState.APPROVED:
                transition_project(locked, action="start", by=by,
                                   comment=_("Start of work reported in the progress report for %(period)s.")
                                   % {"period": period.label})
    except WorkflowError as refusal:
        _refused("progress_report_submitted", by, project, refusal)
        raise
    project.take_latest_report(report)
    _refresh(project, locked)
    return report


def _notify_report(report: ProgressReport) -> None:

    project = report.project
    title = _("Progress report for “%(title)s”") % {"title": project.title}
    if report.is_late:
        title = _("Late progress report for “%(title)s”") % {"title": project.title}
    notify(bureau_officers(), kind="progress_report", title=title, url=project_url(project))


@transaction.atomic
def set_report_period(project: Project, *, by, months: int) -> Project:
    """The bureau sets how often a project reports (monthly, quarterly, half-yearly, yearly)."""
    _require(by, "projects.set_report_period", project, _("Only the bureau sets the reporting period."))
    if months not in Project.ReportPeriod.values:
        raise WorkflowError(_("Choose a reporting period from the list."))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.report_period_months == months:
        return locked
    previous = locked.report_period_months
    locked.report_period_months = months
    locked.next_report_due = _next_report_due(locked)
    locked._change_reason = _("Reporting period changed")
    locked.save(update_fields=["report_period_months", "next_report_due", "updated_at"])
    audit.record("project_report_period", user=by, obj=locked, previous=previous, months=months)
    _refresh(project, locked)
    return locked


# --- change requests ---------------------------------------------------------------------------


def request_change(project: Project, *, by, kind: str, justification: str, proposed: dict) -> ChangeRequest:
    """The applicant asks to change a running project; one pending request per kind at a time."""
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=project.pk)
            _require(by, "projects.request_change", locked,
                     _("Only the lead unit or the alliance's secretariat may request changes to a running project."))
            if locked.state not in workflow.CHANGEABLE:
                raise IllegalTransition(_("This project is “%(state)s”: changes cannot be requested now.")
                                        % {"state": locked.get_state_display()})
            if locked.change_requests.filter(kind=kind, status=ChangeRequest.Status.PENDING).exists():
                raise IllegalTransition(_("A request of this kind is already waiting for the bureau's decision."))
            change = ChangeRequest.objects.create(project=locked, kind=kind, justification=justification.strip(),
                                                  proposed=proposed, requested_by=by)
            audit.record("change_requested", user=by, obj=locked, change_request=change.pk, kind=kind)
            transaction.on_commit(lambda: _notify_change(change, submitted=True))
    except WorkflowError as refusal:
        _refused("change_requested", by, project, refusal)
        raise
    return change


def decide_change(change: ChangeRequest, *, by, approve: bool, comment: str = "") -> ChangeRequest | None:
    """Approve (and apply) or refuse a pending change request. Returns None when it was already decided
    the same way (a second click); raises when it was decided the other way."""
    comment = (comment or "").strip()
    wanted = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REFUSED
    try:
        with transaction.atomic():
            locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
            project = Project.objects.select_for_update().get(pk=locked.project_id)
            _require(by, "projects.decide_change", project, _("Only the bureau decides change requests."))
            if locked.status == wanted:
                return None
            if locked.status != ChangeRequest.Status.PENDING:
                raise IllegalTransition(_("This change request was already decided (%(status)s): reload the page.")
                                        % {"status": locked.get_status_display()})
            if not approve and not comment:
                raise WorkflowError(_("Give the reasons: the applicant will read them."))
            if approve:
                if project.state not in workflow.CHANGEABLE:
                    raise IllegalTransition(_("This project is “%(state)s”: changes cannot be applied now.")
                                            % {"state": project.get_state_display()})
                locked.previous = _apply_change(project, locked, by=by)
            locked.status = wanted
            locked.decided_by = by
            locked.decided_at = timezone.now()
            locked.decision_comment = comment
            locked.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "previous"])
            audit.record("change_decided", user=by, obj=project, change_request=locked.pk, kind=locked.kind,
                         decision=wanted, comment=comment)
            transaction.on_commit(lambda: _notify_change(locked, submitted=False))
    except WorkflowError as refusal:
        _refused("change_decided", by, change.project, refusal)
        raise
    change.status, change.decided_at, change.previous = locked.status, locked.decided_at, locked.previous
    return locked


def _apply_change(project: Project, change: ChangeRequest, *, by) -> dict:
    """Write the approved values to the locked project; return the values they replaced."""
    proposed = change.proposed
    kind = ChangeRequest.Kind
    if change.kind == kind.EXTENSION:
        new_end = date.fromisoformat(proposed["end_date"])
        if new_end <= project.end_date:
            raise WorkflowError(_("The new end date must be later than the current one (%(end)s).")
                                % {"end": project.end_date})
        previous = {"end_date": project.end_date.isoformat()}
        project.end_date = new_end
        fields = ["end_date"]
    elif change.kind == kind.OBJECTIVES:
        previous = {"objectives": project.objectives, "key_indicators": project.key_indicators}
        project.objectives = proposed["objectives"]
        project.key_indicators = proposed["key_indicators"]
        fields = ["objectives", "key_indicators"]
    elif change.kind == kind.BUDGET:
        previous = {"total_investment": _money(project.total_investment), "budget": budget_rows_of(project)}
        lines = [BudgetYear(project=project, year=row["year"],
                            **{source: Decimal(row[source]) for source in FundingSource.values})
                 for row in proposed["budget"]]
        project.budget_years.all().delete()
        BudgetYear.objects.bulk_create(lines)
        for line in lines:  # bulk_create skips the history rows that save() writes
            BudgetYear.history.model.objects.create(
                id=line.pk, project_id=project.pk, year=line.year, history_date=timezone.now(), history_type="+",
                history_user=by, history_change_reason=f"#{change.pk}",
                **{source: getattr(line, source) for source in FundingSource.values})
        project.total_investment = Decimal(proposed["total_investment"])
        project.government_funding_requested = sum((line.government for line in lines), ZERO)
        fields = ["total_investment", "government_funding_requested"]
    elif change.kind == kind.PARTICIPANTS:
        previous = {"participants": participant_rows_of(project)}
        project.participants.all().delete()
        ProjectParticipant.objects.bulk_create([
            ProjectParticipant(project=project, organisation_id=row.get("organisation"), name=row["name"],
                               credit_code=row.get("credit_code", ""), task=row.get("task", ""))
            for row in proposed["participants"]
        ])
        fields = []
    else:  # pragma: no cover - the model's choices make this unreachable
        raise WorkflowError(f"unknown change kind {change.kind}")
    project._change_reason = _("Change request #%(number)s approved: %(kind)s") % {
        "number": change.pk, "kind": change.get_kind_display()}
    project._history_user = by
    if change.kind == kind.EXTENSION:  # a longer project has more periods to report
        project.next_report_due = _next_report_due(project)
        fields.append("next_report_due")
    with tally.kept(Project.objects.filter(pk=project.pk)):
        project.save(update_fields=[*fields, "updated_at"])
    return previous


def _notify_change(change: ChangeRequest, *, submitted: bool) -> None:

    project = change.project
    if submitted:
        title = _("Change request for “%(title)s”: %(kind)s") % {"title": project.title,
                                                                  "kind": change.get_kind_display()}
        notify(bureau_officers(), kind="change_requested", title=title, body=change.justification,
               url=reverse("projects:change_detail", args=[change.pk]))
    else:
        title = _("Your change request for “%(title)s” was %(status)s") % {
            "title": project.title, "status": change.get_status_display()}
        notify(applicant_users(project), kind=f"change_{change.status}", title=title, body=change.decision_comment,
               url=reverse("projects:change_detail", args=[change.pk]))


# --- alliance operation records ----------------------------------------------------------------


def submit_plan(*, alliance, by, plan: DevelopmentPlan) -> DevelopmentPlan:
    """File (or revise, until the bureau acknowledges it) an annual or medium/long-term development plan."""
    _require(by, "projects.file_alliance_records", alliance,
             _("Only the alliance's chairman unit or secretariat files its plans."))
    with transaction.atomic():
        if plan.pk is not None:
            current = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
            if current.status == DevelopmentPlan.Status.ACKNOWLEDGED:
                raise IllegalTransition(_("The bureau has acknowledged this plan: it can no longer be changed."))
        plan.alliance = alliance
        plan.submitted_by = by
        plan.submitted_at = timezone.now()
        plan.status = DevelopmentPlan.Status.SUBMITTED
        plan.save()
        audit.record("development_plan_submitted", user=by, obj=plan, alliance=alliance.pk, kind=plan.kind,
                     year=plan.year)
        transaction.on_commit(lambda: _notify_plan(plan))
    return plan


def acknowledge_plan(plan: DevelopmentPlan, *, by, note: str = "") -> DevelopmentPlan | None:
    """The bureau acknowledges a submitted plan; a second acknowledgement changes nothing."""
    with transaction.atomic():
        locked = DevelopmentPlan.objects.select_for_update().select_related("alliance").get(pk=plan.pk)
        _require(by, "projects.acknowledge_plan", locked, _("Only the bureau acknowledges plans."))
        if locked.status == DevelopmentPlan.Status.ACKNOWLEDGED:
            return None
        locked.status = DevelopmentPlan.Status.ACKNOWLEDGED
        locked.acknowledged_by = by
        locked.acknowledged_at = timezone.now()
        locked.acknowledgement_note = note.strip()
        locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "acknowledgement_note"])
        audit.record("development_plan_acknowledged", user=by, obj=locked)
        transaction.on_commit(lambda: _notify_plan(locked))
    plan.status, plan.acknowledged_at = locked.status, locked.acknowledged_at
    return locked


def _notify_plan(plan: DevelopmentPlan) -> None:

    url = reverse("projects:plans", args=[plan.alliance_id])
    if plan.status == DevelopmentPlan.Status.ACKNOWLEDGED:
        notify(alliance_lead_users(plan.alliance), kind="plan_acknowledged",
               title=_("The bureau acknowledged “%(title)s”") % {"title": plan.title},
               body=plan.acknowledgement_note, url=url)
    else:
        notify(bureau_officers(), kind="plan_submitted",
               title=_("%(alliance)s submitted “%(title)s”") % {"alliance": plan.alliance.name, "title": plan.title},
               url=url)


def record_activity(*, alliance, by, activity: Activity) -> Activity:
    """Record an activity the alliance held (technology exchange, business-model event, internal exchange)."""
    _require(by, "projects.file_alliance_records", alliance,
             _("Only the alliance's chairman unit or secretariat records its activities."))
    activity.alliance = alliance
    activity.recorded_by = by
    activity.save()
    audit.record("activity_recorded", user=by, obj=activity, alliance=alliance.pk, kind=activity.kind)
    return activity



def add_activity_evidence(*, activity: Activity, by, uploads, kind: str,
                          description: str = "") -> list[ActivityAttachment]:
    """File checked uploads (``projects.uploads.check_upload``) as evidence of the activity: photos, the
    sign-in sheet, minutes. Precondition: ``by`` records the alliance's activities; a photo is an image.
    Files whose content is filed there already are skipped (a second click). Returns the new rows."""
    if kind not in ActivityAttachment.Kind.values:
        raise InvalidReport(_("Choose what the files are."), {"kind": _("Choose what the files are.")})
    if kind == ActivityAttachment.Kind.PHOTO and any(
            getattr(upload, "checked_content_type", "") not in IMAGE_TYPES for upload in uploads):
        message = _("A photo must be a PNG or JPEG image; file other documents as “Other”.")
        raise InvalidReport(message, {"files": message})
    try:
        _require(by, "projects.file_alliance_records", activity.alliance,
                 _("Only the alliance's chairman unit or secretariat files evidence of its activities."))
    except NotPermitted as refusal:
        _refused("activity_evidence_added", by, activity, refusal)
        raise
    with transaction.atomic():
        locked = Activity.objects.select_for_update().select_related("alliance").get(pk=activity.pk)
        seen = set(locked.attachments.values_list("sha256", flat=True))
        rows = store_evidence(ActivityAttachment, uploads, by=by, seen=seen, activity=locked, kind=kind,
                              description=(description or "").strip())
        for row in rows:
            audit.record("activity_evidence_added", user=by, obj=locked, alliance=locked.alliance_id,
                         attachment=row.pk, kind=kind, file=row.original_name, sha256=row.sha256)
    return rows


def remove_activity_evidence(*, attachment: ActivityAttachment, by) -> None:
    """Remove a file filed against an activity by mistake; the audit trail keeps its name and SHA-256."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().select_related("alliance").get(pk=attachment.activity_id)
        _require(by, "projects.file_alliance_records", locked.alliance,
                 _("Only the alliance's chairman unit or secretariat removes evidence of its activities."))
        row = ActivityAttachment.objects.filter(pk=attachment.pk).first()
        if row is None:  # removed a moment ago (a second click)
            return
        audit.record("activity_evidence_removed", user=by, obj=locked, alliance=locked.alliance_id,
                     kind=row.kind, file=row.original_name, sha256=row.sha256)
        name, storage = row.file.name, row.file.storage
        row.delete()
        transaction.on_commit(lambda: storage.delete(name))
