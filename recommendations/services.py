"""Every change of the district recommendation (区县推荐). State changes go through ``alliances.transitions.transition``.

``recommend`` and ``decline`` record the district's decision in the ``before_save`` of the transition, so
the state, the record, the audit event and the notifications happen together or not at all; the
"recommend" guard in ``reviews.services`` (``selectors.recommendation_problem``) keeps any other path
(the generic transition page, the API) from recommending without a letter or beyond the quota.
Recommendations of one call are serialised on the call's row, so two reviewers of a district cannot
both take its last place.
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from alliance_portal.core.errors import NotPermitted, WorkflowError
from alliances.models import Alliance
from alliances.transitions import transition
from calls.models import Call
from notifications.services import notify
from reviews.selectors import applicant_url, applicant_users

from . import selectors
from .models import DistrictRecommendation
from .rules import is_scoped_district_reviewer
from .uploads import inspect_letter


class LetterRefused(WorkflowError):
    """The uploaded letter is not an acceptable PDF; ``message`` says why."""

    status_code = 400


def _check_reviewer(alliance: Alliance, by) -> None:
    if by is None or not is_scoped_district_reviewer(by):
        raise NotPermitted(_("Only district reviewers may recommend applications."))
    if by.district_id != alliance.chairman.district_id:
        raise NotPermitted(_("Only the reviewers of the chairman unit's district may recommend this application."))


def _lock_call(alliance: Alliance) -> Call | None:
    call_id = Alliance.objects.filter(pk=alliance.pk).values_list("call_id", flat=True).first()
    return Call.objects.select_for_update().filter(pk=call_id).first() if call_id else None


def recommend(alliance: Alliance, *, letter, by):
    """The district recommends the application (district review → submitted) with its signed letter (PDF).

    Refused beyond the call's quota for the district, with the reason. The recommendation is ranked last
    among the district's recommendations in the call. Returns the transition record, or None when the
    application was recommended a moment ago (a second click).
    """
    _check_reviewer(alliance, by)
    if letter is None:
        raise LetterRefused(_("Upload the signed recommendation letter (推荐函) as PDF."))
    try:
        info = inspect_letter(letter)
    except ValidationError as error:
        raise LetterRefused(error.messages[0]) from None
    stored = []

    def record(locked: Alliance) -> None:
        if locked.call_id is None:
            raise WorkflowError(_("This application belongs to no call; there is nothing to recommend it for."))
        district = locked.chairman.district
        refusal = selectors.quota_refusal(locked.call, district)
        if refusal:
            raise WorkflowError(refusal)
        rank = selectors.counted_recommendations(locked.call, district).count() + 1
        recommendation = DistrictRecommendation(
            alliance=locked, version=locked.current_version, call=locked.call, district=district,
            decision=DistrictRecommendation.Decision.RECOMMENDED, rank=rank,
            letter_name=(getattr(letter, "name", "") or "letter.pdf")[-255:], letter_size=info.size,
            letter_sha256=info.sha256, letter_pages=info.pages, decided_by=by, decided_at=timezone.now(),
        )
        letter.seek(0)
        recommendation.letter.save("letter.pdf", letter, save=False)  # letter_upload_path names it
        stored.append(recommendation.letter.name)
        recommendation.save()
        audit.record("district_recommended", user=by, obj=recommendation, alliance=locked.pk, call=locked.call_id,
                     district=district.pk, rank=rank, sha256=info.sha256, size=info.size)
        transaction.on_commit(lambda: _notify_recommended(recommendation))

    try:
        with transaction.atomic():
            _lock_call(alliance)  # the call first (serialises its quota), then the alliance in transition()
            return transition(alliance, action="recommend", by=by, before_save=record)
    except Exception:
        for name in stored:  # the row was rolled back: do not leave its file behind
            default_storage.delete(name)
        raise


def decline(alliance: Alliance, *, reason: str, by):
    """The district declines to recommend (district review → not recommended); the reason is required and
    the applicant is told it. Returns the transition record, or None on a second click."""
    _check_reviewer(alliance, by)
    reason = (reason or "").strip()

    def record(locked: Alliance) -> None:
        recommendation = DistrictRecommendation.objects.create(
            alliance=locked, version=locked.current_version, call=locked.call, district=locked.chairman.district,
            decision=DistrictRecommendation.Decision.DECLINED, reason=reason, decided_by=by,
        )
        audit.record("district_declined", user=by, obj=recommendation, alliance=locked.pk, reason=reason)

    # ``transition`` refuses an empty reason (the table says so) and notifies the applicant with it.
    return transition(alliance, action="decline_recommendation", by=by, comment=reason,
                                      before_save=record)


def rank(call: Call, district, *, ordered_alliance_ids, by) -> list[DistrictRecommendation]:
    """Set the district's order of its recommendations in ``call`` (推荐排序): ``ordered_alliance_ids`` lists
    every recommended application of the district in the call, first the most recommended."""
    if by is None or not is_scoped_district_reviewer(by) or by.district_id != district.pk:
        raise NotPermitted(_("Only the reviewers of %(district)s may rank its recommendations.")
                           % {"district": district.name})
    ordered = [int(pk) for pk in ordered_alliance_ids]
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        recommendations = list(selectors.counted_recommendations(call, district).select_for_update(of=("self",)))
        by_alliance = {r.alliance_id: r for r in recommendations}
        if len(ordered) != len(set(ordered)) or set(ordered) != set(by_alliance):
            raise WorkflowError(_("The order must list each recommended application of the district exactly once; "
                                  "reload the page (another reviewer may have changed the list)."))
        changed = []
        for position, alliance_id in enumerate(ordered, start=1):
            recommendation = by_alliance[alliance_id]
            if recommendation.rank != position:
                recommendation.rank = position
                changed.append(recommendation)
        if changed:
            DistrictRecommendation.objects.bulk_update(changed, ["rank"])
            audit.record("district_ranked", user=by, obj=call, district=district.pk, order=ordered)
    return sorted(recommendations, key=lambda r: r.rank)


def _notify_recommended(recommendation: DistrictRecommendation) -> None:
    alliance = recommendation.alliance
    notify(applicant_users(alliance), kind="district_recommended",
           title=_("%(district)s recommended %(alliance)s") % {"district": recommendation.district.name,
                                                              "alliance": alliance.name},
           body=_("The application now goes to the science bureau for screening."), url=applicant_url(alliance))

