"""The application's detail page, the agreement download and the differences between versions."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from alliance_portal.core.downloads import stored_file
from alliances.workflow import EDITABLE_BY_APPLICANT

from .. import eligibility, selectors, versions
from ..models import ApplicationVersion, WorkPlan
from .common import visible_alliance


@login_required
def detail(request, pk):
    alliance = visible_alliance(request.user, pk)
    user = request.user
    plan = WorkPlan.objects.filter(alliance=alliance).prefetch_related("targets", "investments").first()
    agreements = list(alliance.agreements.select_related("uploaded_by"))
    may_edit = rules.has_perm("alliances.edit_application", user, alliance)
    context = {
        "alliance": alliance,
        "memberships": selectors.memberships(alliance),
        "governance": selectors.governance(alliance),
        "agreement": agreements[0] if agreements else None,
        "earlier_agreements": agreements[1:],
        "may_download": user.has_perm("alliances.download_agreement", alliance),
        "plan": plan,
        "plan_texts": plan is not None and any(getattr(plan, name).strip() for name in WorkPlan.TEXT_FIELDS),
        "sees_all": user.has_perm("alliances.view_all_alliances"),
        "investment_table": selectors.investment_table(plan),
        "versions": alliance.versions.select_related("submitted_by").order_by("-number"),
        "may_view_versions": user.has_perm("alliances.view_versions", alliance),
        "timeline": selectors.timeline(alliance),
        "may_edit": may_edit,
        "problems": eligibility.check(alliance) if may_edit else [],
        "editable_state": alliance.state in EDITABLE_BY_APPLICANT,
        "duplicates": (selectors.possible_duplicates(alliance)
                       if user.has_perm("alliances.see_duplicate_warning", alliance) else []),
        "own_membership": _own_membership(alliance, user),
    }
    return render(request, "alliances/detail.html", context)


def _own_membership(alliance, user):
    """The user's organisation's place in the alliance (an invitation it may answer, say), if any."""
    if not user.organisation_id or user.organisation_id == alliance.chairman_id:
        return None
    return alliance.memberships.filter(organisation_id=user.organisation_id).first()


@login_required
def download_agreement(request, pk, agreement_pk):
    alliance = visible_alliance(request.user, pk)
    if not request.user.has_perm("alliances.download_agreement", alliance):
        raise Http404
    agreement = get_object_or_404(alliance.agreements, pk=agreement_pk)
    return stored_file(agreement.file, filename=agreement.original_name, content_type="application/pdf")


@login_required
def diff(request, pk, old, new=None):
    """Differences between two submitted versions, or between a version and the current draft."""
    alliance = visible_alliance(request.user, pk)
    if not request.user.has_perm("alliances.view_versions", alliance):
        raise Http404
    numbers = [old] if new is None else [old, new]
    found = {v.number: v for v in ApplicationVersion.objects.filter(alliance=alliance, number__in=numbers)
             .select_related("submitted_by")}
    if len(found) != len(set(numbers)):
        raise Http404
    before = found[old]
    after = found[new] if new is not None else None
    sections = versions.diff(before.snapshot, after.snapshot if after else versions.snapshot(alliance))
    return render(request, "alliances/diff.html", {
        "alliance": alliance, "before": before, "after": after, "sections": sections,
        "changed": any(section.changed for section in sections),
        "all_versions": alliance.versions.order_by("number").values_list("number", flat=True),
    })
