"""Workflow pieces for any template.

``{% state_badge state %}``: one colour and one word per workflow state, everywhere.
``{% section_guidance alliance "members" %}``: the open revision guidance for one application section.
``{% workflow_diagram state %}``: the workflow diagram with ``state`` highlighted (a table if none was built).
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from alliances import workflow
from alliances.workflow import BADGE, State
from reviews import diagram
from reviews.models import Section
from reviews.selectors import guidance_by_section

register = template.Library()


@register.simple_tag
def state_badge(state):
    state = State(state)
    return format_html('<span class="badge text-bg-{} state-badge" data-state="{}">{}</span>',
                       BADGE[state], state.value, state.label)


@register.simple_tag
def section_guidance(alliance, section):
    """An alert with the bureau's guidance for ``section`` while the application awaits revision."""

    if alliance is None or not getattr(alliance, "pk", None):
        return ""
    rows = guidance_by_section(alliance).get(section)
    if not rows:
        return ""
    return render_to_string("reviews/includes/section_guidance.html",
                            {"rows": rows, "section": Section(section)})


@register.simple_tag
def workflow_diagram(state=None):
    svg = diagram.render_svg(state)
    if svg is not None:
        return mark_safe(f'<figure class="workflow-figure mb-0">{svg}</figure>')  # noqa: S308 — our own committed SVG
    return render_to_string("reviews/includes/workflow_table.html",
                            {"edges": diagram.edges(), "current": State(state) if state else None})


@register.filter
def allowed_actions(state, user):
    """The transitions the table allows from ``state`` to a user of ``user``'s roles."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [t for t in workflow.actions_from(state) if any(user.has_role(role) for role in t.roles)]
