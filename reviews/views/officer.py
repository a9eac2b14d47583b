"""The bureau officer's pages: the review queue and the application's review page with its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from alliances import selectors as alliance_selectors
from alliances import workflow
from alliances.models import Alliance
from alliances.selectors import possible_duplicates
from alliances.transitions import transition
from alliances.workflow import State

from .. import selectors, services
from ..forms import (
    AssignExpertsForm,
    ChecklistForm,
    GuidanceForm,
    QueueFilterForm,
    ReplaceAssignmentForm,
    ResolveObjectionForm,
    SupervisionForm,
    TransitionForm,
)
from ..models import ExpertAssignment, Objection, ReviewSettings, ScreeningCheckItem, SeenVersion, Supervision
from .common import run

PAGE_SIZE = 20

officer_required = permission_required("reviews.view_queue", raise_exception=True)


@login_required
@officer_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.review_queue(state=filters.get("state") or "", sector=filters.get("sector"),
                                      q=filters.get("q") or "")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.state_counts()
    tabs = [("active", _("Awaiting the bureau"), sum(counts.get(s, 0) for s in selectors.ACTIVE_REVIEW))] + [
        (s.value, s.label, counts.get(s.value, 0)) for s in (*selectors.ACTIVE_REVIEW, State.PILOT, State.RETURNED)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reviews/queue.html", {
        "form": form, "page": page, "tabs": tabs, "current_state": filters.get("state") or "",
        "total": page.paginator.count, "query": query.urlencode(),
    })


def _review_alliance(pk) -> Alliance:
    return get_object_or_404(Alliance.objects.select_related("sector", "chairman", "chairman__district", "call"), pk=pk)


@login_required
@officer_required
def application(request, pk):
    alliance = _review_alliance(pk)
    user = request.user
    state = State(alliance.state)
    config = ReviewSettings.current()
    allowed = [t for t in workflow.actions_from(state, alliance.stages) if any(user.has_role(r) for r in t.roles)]
    blockers = services.blockers(alliance)
    assignments = list(selectors.current_assignments(alliance))
    candidates = selectors.expert_candidates(alliance) if state == State.EXPERT_REVIEW else []
    open_slots = max(config.experts_per_application
                     - sum(1 for a in assignments if a.status in ExpertAssignment.COUNTING), 0)
    suggested = [c.expert.pk for c in candidates if c.matches_sector and not c.conflict and not c.already_assigned]
    preselect = suggested[:open_slots]
    checklist = selectors.checklist(alliance)
    proposed, automatic = (selectors.proposed_checklist(alliance) if state == State.SCREENING
                           else ([item.pk for item, ok in checklist if ok], False))
    supervision = Supervision.objects.filter(alliance=alliance).select_related(
        "liaison_officer", "responsible_department").first()
    context = {
        "alliance": alliance,
        "timeline": alliance_selectors.timeline(alliance),
        "actions": [(t, blockers.get(t.action)) for t in allowed if t.action != "return_for_revision"],
        "may_return": any(t.action == "return_for_revision" for t in allowed),
        "guidance_form": GuidanceForm(),
        "guidance_history": selectors.guidance_history(alliance),
        "checklist": checklist,
        "checklist_form": ChecklistForm(items=[item for item, _ok in checklist],
                                        initial={"passed": [str(pk) for pk in proposed]}),
        "checklist_automatic": automatic,
        "duplicates": possible_duplicates(alliance),
        "duplicates_linked": True,
        "assignments": assignments,
        "candidates": candidates,
        "assign_form": AssignExpertsForm(candidates=candidates, initial={"experts": preselect}),
        "preselect": set(preselect),
        "suggested": set(suggested),
        "replace_form": ReplaceAssignmentForm(candidates=candidates),
        "config": config,
        "summary": selectors.score_summary(alliance) if assignments else None,
        "joint": selectors.joint_review_outcome(alliance) if _reached(state, State.JOINT_REVIEW) else None,
        "notice": selectors.current_notice(alliance),
        "objections": selectors.objections_to(alliance),
        "resolve_form": ResolveObjectionForm(),
        "designations": alliance.designations.select_related("designated_by").order_by("-designated_at"),
        "supervision": supervision,
        "supervision_form": SupervisionForm(initial={
            "liaison_officer": supervision.liaison_officer_id if supervision else None,
            "responsible_department": supervision.responsible_department_id if supervision else None,
        }),
        "changes_since": _changes_since(user, alliance),
    }
    return render(request, "reviews/application.html", context)


_ORDER = [State.SUBMITTED, State.SCREENING, State.EXPERT_REVIEW, State.JOINT_REVIEW, State.PUBLIC_NOTICE,
          State.PILOT]


def _reached(state: State, stage: State) -> bool:
    if state in workflow.DESIGNATED:
        return True
    return state in _ORDER and _ORDER.index(state) >= _ORDER.index(stage)


def _changes_since(user, alliance):
    """(version seen, diff URL) when the reviewer last saw an older version; remembers the current one."""
    if not alliance.current_version:
        return None
    seen = SeenVersion.objects.filter(user=user, alliance=alliance).values_list("version", flat=True).first()
    SeenVersion.objects.update_or_create(user=user, alliance=alliance,
                                         defaults={"version": alliance.current_version})
    if seen and seen < alliance.current_version:
        return seen, selectors.version_diff_url(alliance, seen, alliance.current_version)
    return None


def _back(alliance, anchor=""):
    return redirect(reverse("reviews:application", args=[alliance.pk]) + anchor)


@require_POST
@login_required
def transition_page(request, pk):
    """Any transition the table allows this user (officers here; applicants withdraw on their own page)."""
    alliance = get_object_or_404(Alliance.objects.visible_to(request.user), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise Http404
    action = form.cleaned_data["action"]
    comment = form.cleaned_data["comment"]
    label = next((t.label for t in workflow.TRANSITIONS if t.action == action), None)
    if label is None:
        raise Http404
    if action == "return_for_revision":
        messages.error(request, _("Use the guidance form to return the application for revision."))
    else:
        run(request, lambda: transition(alliance, action=action, by=request.user, comment=comment),
            success=_("Done: %(action)s.") % {"action": label},
            already=_("Someone else already did this: the application is “%(state)s”.")
            % {"state": alliance.get_state_display()})
    if request.user.has_perm("reviews.view_queue"):
        return _back(alliance)
    return redirect(selectors.applicant_url(alliance))


@require_POST
@login_required
@officer_required
def save_checklist(request, pk):
    alliance = _review_alliance(pk)
    form = ChecklistForm(request.POST, items=ScreeningCheckItem.objects.filter(is_active=True))
    if form.is_valid():
        run(request, lambda: services.record_screening(alliance, passed_item_ids=form.cleaned_data["passed"],
                                                       by=request.user),
            success=_("The checklist was saved."))
    return _back(alliance, "#screening")


@login_required
@officer_required
def return_for_revision(request, pk):
    alliance = _review_alliance(pk)
    form = GuidanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = run(request, lambda: services.return_for_revision(
            alliance, guidance=form.guidance, comment=form.cleaned_data["comment"], by=request.user),
            success=_("The application was returned for revision with your guidance."))
        if ok:
            return _back(alliance)
    return render(request, "reviews/return.html", {"alliance": alliance, "form": form})


@login_required
@officer_required
def assign_experts(request, pk):
    alliance = _review_alliance(pk)
    candidates = selectors.expert_candidates(alliance)
    form = AssignExpertsForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        ok, _result = run(request, lambda: services.assign_experts(
            alliance, experts=list(form.cleaned_data["experts"].select_related("user")),
            due_date=form.cleaned_data["due_date"], by=request.user),
            success=_("The experts were asked to review the application."))
        if ok:
            return _back(alliance, "#experts")
    elif request.method == "POST":
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back(alliance, "#experts")


def _assignment(pk) -> ExpertAssignment:
    return get_object_or_404(ExpertAssignment.objects.select_related("alliance", "expert__user"), pk=pk)


@require_POST
@login_required
@officer_required
def replace_assignment(request, pk):
    assignment = _assignment(pk)
    form = ReplaceAssignmentForm(request.POST, candidates=selectors.expert_candidates(assignment.alliance))
    if form.is_valid():
        run(request, lambda: services.replace_assignment(assignment, expert=form.cleaned_data["expert"],
                                                         due_date=form.cleaned_data["due_date"], by=request.user),
            success=_("%(expert)s replaces %(old)s.") % {"expert": form.cleaned_data["expert"],
                                                         "old": assignment.expert})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back(assignment.alliance, "#experts")


@require_POST
@login_required
@officer_required
def withdraw_assignment(request, pk):
    assignment = _assignment(pk)
    run(request, lambda: services.withdraw_assignment(assignment, by=request.user),
        success=_("The assignment of %(expert)s was withdrawn.") % {"expert": assignment.expert})
    return _back(assignment.alliance, "#experts")


@require_POST
@login_required
@permission_required("reviews.resolve_objection", raise_exception=True)
def resolve_objection(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("notice__alliance"), pk=pk)
    form = ResolveObjectionForm(request.POST)
    if form.is_valid():
        run(request, lambda: services.resolve_objection(objection, status=form.cleaned_data["status"],
                                                        resolution=form.cleaned_data["resolution"],
                                                        by=request.user),
            success=_("The objection was resolved."))
    else:
        messages.error(request, _("Choose a decision and write down the resolution."))
    return _back(objection.notice.alliance, "#objections")


@require_POST
@login_required
@permission_required("reviews.assign_supervision", raise_exception=True)
def save_supervision(request, pk):
    alliance = _review_alliance(pk)
    form = SupervisionForm(request.POST)
    if form.is_valid():
        run(request, lambda: services.assign_supervision(
            alliance, liaison_officer=form.cleaned_data["liaison_officer"],
            department=form.cleaned_data["responsible_department"], by=request.user),
            success=_("The liaison officer and responsible department were saved."))
    else:
        messages.error(request, _("Choose a liaison officer and a department from the lists."))
    return _back(alliance, "#supervision")


@login_required
def workflow_page(request):
    """The workflow itself, as a diagram and a table (for everyone signed in)."""
    state = request.GET.get("state")
    return render(request, "reviews/workflow.html", {"state": state if state in State.values else None})
