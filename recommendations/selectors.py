"""Read side of the district recommendation: the district's queue, its recommendations and the quota."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from alliances.models import Alliance
from alliances.workflow import State
from calls.models import Call

from .models import DistrictRecommendation

# A recommendation no longer takes a place of the quota once the applicant withdrew the application.
NOT_COUNTED = (State.WITHDRAWN,)


def district_queue(user):
    """Applications of the reviewer's district waiting for its recommendation, oldest first (2 queries with
    the call and chairman unit joined in)."""
    if not user.is_authenticated or not user.district_id:
        return Alliance.objects.none()
    return (Alliance.objects.filter(state=State.DISTRICT_REVIEW, chairman__district_id=user.district_id)
            .select_related("sector", "chairman", "call").order_by("state_changed_at", "pk"))


def current(alliance) -> DistrictRecommendation | None:
    """The district's decision on the application's current submission, if any."""
    return (DistrictRecommendation.objects.filter(alliance=alliance)
            .select_related("district", "decided_by").order_by("-version", "-pk").first())


def counted_recommendations(call, district):
    """Recommendations that use a place of the call's quota for ``district``, in the district's order."""
    return (DistrictRecommendation.objects
            .filter(call=call, district=district, decision=DistrictRecommendation.Decision.RECOMMENDED)
            .exclude(alliance__state__in=NOT_COUNTED)
            .select_related("alliance", "decided_by").order_by("rank", "decided_at", "pk"))


@dataclass(frozen=True)
class Quota:
    limit: int | None
    used: int

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


def quota(call, district) -> Quota:
    return Quota(limit=call.district_quota, used=counted_recommendations(call, district).count())


def quota_refusal(call, district, *, excluding=None) -> str | None:
    """Why another recommendation by ``district`` in ``call`` is over the quota, or None while places are left."""
    if call.district_quota is None:
        return None
    taken = counted_recommendations(call, district)
    if excluding is not None:
        taken = taken.exclude(pk=excluding.pk)
    names = [r.alliance.name for r in taken]
    if len(names) < call.district_quota:
        return None
    return _("“%(call)s” allows %(quota)d recommendation(s) per district; %(district)s has recommended "
             "%(count)d already: %(names)s.") % {
        "call": call.title, "quota": call.district_quota, "district": district.name, "count": len(names),
        "names": "、".join(names)}


def recommendation_problem(alliance) -> str | None:
    """What stops ``alliance`` from being recommended now (the workflow guard of "recommend"), or None.

    The recommendation must be recorded for the current submission with its letter, and within the
    call's quota for the district. The service records it inside the same transaction just before.
    """
    record = (DistrictRecommendation.objects.filter(alliance=alliance, version=alliance.current_version)
              .select_related("call", "district").first())
    if record is None or not record.is_recommended:
        return _("Recommend through the district recommendation page, with the signed recommendation letter.")
    if not record.letter:
        return _("Upload the signed recommendation letter (推荐函) as PDF.")
    return quota_refusal(record.call, record.district, excluding=record)


def decline_problem(alliance) -> str | None:
    """The guard of "decline_recommendation": the district's decision is recorded with its reason (the service
    does so in the same transaction), so no other path closes an application without the district's record."""
    if DistrictRecommendation.objects.filter(alliance=alliance, version=alliance.current_version,
                                             decision=DistrictRecommendation.Decision.DECLINED).exists():
        return None
    return _("Decline through the district recommendation page, with the reason.")


def district_calls(user):
    """The calls in which the reviewer's district has applications waiting or recommendations, each with
    ``waiting`` and ``used`` (places of the quota taken), in one query."""
    if not user.is_authenticated or not user.district_id:
        return Call.objects.none()

    def count(queryset):
        counted = queryset.order_by().values("call_id").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    waiting = district_queue(user).filter(call_id=OuterRef("pk"))
    used = (DistrictRecommendation.objects
            .filter(call_id=OuterRef("pk"), district_id=user.district_id,
                    decision=DistrictRecommendation.Decision.RECOMMENDED)
            .exclude(alliance__state__in=NOT_COUNTED))
    return (Call.objects.annotate(waiting=count(waiting), used=count(used))
            .filter(Q(waiting__gt=0) | Q(used__gt=0)).order_by("-year", "-batch_number"))
