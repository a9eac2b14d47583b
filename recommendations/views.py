"""The district reviewer's pages: the applications of the district waiting for its recommendation, the
decision on one of them, the ranking of its recommendations in a call, and the letters' download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from alliance_portal.core.downloads import stored_file
from alliance_portal.core.errors import WorkflowError
from alliances.selectors import timeline
from calls.models import Call
from reviews.selectors import application_summary

from . import selectors, services
from .forms import DeclineForm, RankingForm, RecommendForm
from .models import DistrictRecommendation

district_required = permission_required("recommendations.review_district", raise_exception=True)


@login_required
@district_required
def queue(request):
    user = request.user
    return render(request, "recommendations/queue.html", {
        "district": user.district,
        "applications": list(selectors.district_queue(user)),
        "calls": list(selectors.district_calls(user)),
    })


def _waiting(user, pk):
    """The application if it waits for this reviewer's district; anything else is a 404."""
    return get_object_or_404(selectors.district_queue(user), pk=pk)


def _render_application(request, alliance, *, recommend_form=None, decline_form=None, status=200):
    return render(request, "recommendations/application.html", {
        "alliance": alliance,
        "application": application_summary(alliance),
        "timeline": timeline(alliance),
        "quota": selectors.quota(alliance.call, request.user.district) if alliance.call_id else None,
        "recommend_form": recommend_form or RecommendForm(),
        "decline_form": decline_form or DeclineForm(),
    }, status=status)


@login_required
@district_required
def application(request, pk):
    return _render_application(request, _waiting(request.user, pk))


@require_POST
@login_required
@district_required
def recommend(request, pk):
    alliance = _waiting(request.user, pk)
    form = RecommendForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.recommend(alliance, letter=form.cleaned_data["letter"], by=request.user)
        except WorkflowError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("%(alliance)s is recommended; it goes to the science bureau now.")
                             % {"alliance": alliance.name})
            return redirect("recommendations:queue")
    return _render_application(request, alliance, recommend_form=form, status=400)


@require_POST
@login_required
@district_required
def decline(request, pk):
    alliance = _waiting(request.user, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline(alliance, reason=form.cleaned_data["reason"], by=request.user)
        except WorkflowError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("%(alliance)s is not recommended; the applicant is told the reason.")
                             % {"alliance": alliance.name})
            return redirect("recommendations:queue")
    return _render_application(request, alliance, decline_form=form, status=400)


@login_required
@district_required
def ranking(request, call_pk):
    user = request.user
    call = get_object_or_404(Call, pk=call_pk)
    recommendations = list(selectors.counted_recommendations(call, user.district))
    form = RankingForm(request.POST or None, recommendations=recommendations)
    if request.method == "POST" and form.is_valid():
        try:
            services.rank(call, user.district, ordered_alliance_ids=form.ordered_alliance_ids(), by=user)
        except WorkflowError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The ranking is saved."))
        return redirect("recommendations:ranking", call_pk=call.pk)
    return render(request, "recommendations/ranking.html", {
        "call": call, "district": user.district, "form": form,
        "quota": selectors.Quota(limit=call.district_quota, used=len(recommendations)),
    }, status=400 if form.errors else 200)


@login_required
def letter(request, pk):
    recommendation = get_object_or_404(
        DistrictRecommendation.objects.select_related("alliance").exclude(letter=""), pk=pk)
    if not request.user.has_perm("recommendations.download_letter", recommendation):
        raise Http404
    return stored_file(recommendation.letter, filename=recommendation.letter_name, content_type="application/pdf")
