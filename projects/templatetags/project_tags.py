"""Template helpers of projects: ``{% load project_tags %}{% project_state_badge state %}`` (one colour and one word per state)
and ``|wan`` for money in 万元."""


from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from projects import formatting
from projects.selectors import alliance_indicators as compute
from projects.workflow import BADGE, ProjectState

register = template.Library()


@register.simple_tag
def project_state_badge(state):
    state = ProjectState(state)
    return format_html('<span class="badge text-bg-{} state-badge" data-state="{}">{}</span>',
                       BADGE[state], state.value, state.label)


@register.filter
def wan(value, places=None):
    """A 万元 amount: ``projects.formatting.wan``."""
    return formatting.wan(value, places)


@register.filter
def percent(value):
    return "—" if value is None else f"{value}%"


@register.simple_tag(takes_context=True)
def sort_link(context, field):
    """The query string that sorts the list by ``field`` (toggling the direction) and keeps the filters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("o", "")
    params["o"] = f"-{field}" if current == field else field
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_icon(context, field):
    current = context["request"].GET.get("o", "")
    if current == field:
        return mark_safe('<i class="bi bi-sort-up" aria-hidden="true"></i>')
    if current == f"-{field}":
        return mark_safe('<i class="bi bi-sort-down" aria-hidden="true"></i>')
    return ""


@register.simple_tag(takes_context=True)
def page_link(context, number):
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag
def alliance_indicators(alliance):
    """The alliance's indicators, for pages of other apps that include ``projects/includes/alliance_panel.html``."""

    return compute(alliance)
