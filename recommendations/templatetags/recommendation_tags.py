"""``{% district_recommendation_card alliance %}``: the district's decision on the officer's review page."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("recommendations/includes/card.html")
def district_recommendation_card(alliance):
    return {"alliance": alliance, "recommendation": selectors.current(alliance) if alliance.call_id else None}
