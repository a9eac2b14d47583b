"""The department reviewer's pages: applications in joint review and the department's opinion."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from alliances.models import Alliance
from alliances.workflow import State

from .. import batches, selectors, services
from ..forms import OpinionForm
from ..models import JointReviewOpinion
from .common import run

joint_reviewer_required = permission_required("reviews.give_opinion", raise_exception=True)


@login_required
@joint_reviewer_required
def joint_queue(request):
    page = Paginator(selectors.joint_review_queue(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "reviews/joint/queue.html",
                  {"page": page, "department": selectors.department_of(request.user)})


@login_required
@joint_reviewer_required
def opinion(request, pk):
    alliance = get_object_or_404(Alliance.objects.filter(state=State.JOINT_REVIEW)
                                 .select_related("sector", "chairman", "call"), pk=pk)
    department = selectors.department_of(request.user)
    mine = JointReviewOpinion.objects.filter(alliance=alliance, version=alliance.current_version,
                                             department=department).first()
    form = OpinionForm(request.POST or None,
                       initial={"opinion": mine.opinion, "remarks": mine.remarks} if mine else None)
    if request.method == "POST" and form.is_valid():
        ok, _row = run(request, lambda: services.record_opinion(
            alliance, opinion=form.cleaned_data["opinion"], remarks=form.cleaned_data["remarks"], by=request.user),
            success=_("The opinion of %(department)s was recorded.") % {"department": department.label})
        if ok:
            return redirect("reviews:joint_queue")
    return render(request, "reviews/joint/opinion.html", {
        "alliance": alliance, "department": department, "mine": mine, "form": form,
        "summary": selectors.score_summary(alliance), "joint": selectors.joint_review_outcome(alliance),
        "application": selectors.application_summary(alliance),
        # An application of a call is decided with its batch: the joint review sees the whole list.
        "slate": list(batches.slate(alliance.call)) if alliance.call_id else None,
    })
