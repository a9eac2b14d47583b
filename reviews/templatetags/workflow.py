"""``{% state_badge state %}``: one colour and one word per workflow state, everywhere."""

from django import template
from django.utils.html import format_html

from reviews.workflow import BADGE, State

register = template.Library()


@register.simple_tag
def state_badge(state):
    state = State(state)
    return format_html('<span class="badge text-bg-{} state-badge" data-state="{}">{}</span>',
                       BADGE[state], state.value, state.label)
