"""Site-visit cards for the review pages, so those pages need one line each and no view change.

``{% site_visit_card alliance %}``: the officer's card (the visit, or the link to schedule one).
``{% site_visit_findings alliance %}``: the conclusion and discrepancies, for the joint review.
"""

from django import template

from alliances.workflow import Stage, State

from .. import selectors

register = template.Library()


@register.inclusion_tag("site_visits/includes/card.html", takes_context=True)
def site_visit_card(context, alliance):
    visit = selectors.latest_visit(alliance)
    may_schedule = (Stage.SITE_VISIT in alliance.stages and alliance.state == State.EXPERT_REVIEW
                    and context["user"].has_perm("site_visits.schedule_visit"))
    return {"alliance": alliance, "visit": visit, "may_schedule": may_schedule, "user": context["user"],
            "for_officer": True}


@register.inclusion_tag("site_visits/includes/card.html", takes_context=True)
def site_visit_findings(context, alliance):
    return {"alliance": alliance, "visit": selectors.latest_visit(alliance), "may_schedule": False,
            "user": context["user"], "for_officer": False}
