"""Who hears about an alliance's deadline, as (alliance id, user id) pairs: one query per route.

Each route joins from a queryset of due alliances (used as a subquery, never an id list), so the
number of queries is the number of routes, whatever the number of alliances.
"""

from collections.abc import Iterator

from alliances.models import Alliance, Membership
from reviews.models import Supervision

CHAIRMAN = "chairman"
SECRETARIAT = "secretariat"
LIAISON = "liaison"


def alliance_recipients(alliances, routes=(CHAIRMAN, SECRETARIAT, LIAISON)) -> Iterator[tuple[int, int]]:
    """Active users of the chairman unit (理事长单位), of the secretariat unit (秘书处) and the liaison
    officer (科技联络员) of each alliance in ``alliances``; a user reached twice is yielded twice."""
    due = alliances.order_by().values("pk")
    if CHAIRMAN in routes:
        yield from (
            Alliance.objects.filter(pk__in=due, chairman__users__is_active=True)
            .values_list("pk", "chairman__users__pk").order_by().iterator(chunk_size=5000)
        )
    if SECRETARIAT in routes:
        yield from (
            Membership.objects.filter(alliance__in=due, role=Membership.Role.SECRETARIAT,
                                      status=Membership.Status.CONFIRMED, organisation__users__is_active=True)
            .values_list("alliance_id", "organisation__users__pk").order_by().iterator(chunk_size=5000)
        )
    if LIAISON in routes:
        yield from (
            Supervision.objects.filter(alliance__in=due, liaison_officer__is_active=True)
            .values_list("alliance_id", "liaison_officer_id").order_by().iterator(chunk_size=5000)
        )
