from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def rows_url(figure) -> str:
    """The dashboard page of the list a figure counts, with the same filters."""
    url = reverse("dashboards:rows", args=[figure.dataset])
    return url + (f"?{urlencode(figure.params)}" if figure.params else "")
