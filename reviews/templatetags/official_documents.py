"""``{% alliance_certificates alliance %}``: the alliance's current certificate and earlier ones, for those who
may see its certificates (the alliance page lives in ``alliances``, which does not import ``reviews``)."""

from django import template

from alliances.workflow import DESIGNATED, State
from reviews import documents

register = template.Library()
_EVER_DESIGNATED = frozenset(DESIGNATED) | {State.REVOKED}


@register.inclusion_tag("reviews/includes/alliance_certificates.html", takes_context=True)
def alliance_certificates(context, alliance):
    request = context.get("request")
    user = getattr(request, "user", None)
    if alliance.state not in _EVER_DESIGNATED or user is None or not user.has_perm("reviews.view_certificate",
                                                                                     alliance):
        return {"certificates": []}
    return {"certificates": documents.certificates_of(alliance)}
