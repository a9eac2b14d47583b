"""Badges for assessment statuses, grades and life-cycle stages, and the alliance page's assessment panel."""

from django import template
from django.utils.html import format_html

from ..models import GRADE_BADGE, AssessmentRound, Grade, LifecycleStage
from ..selectors import alliance_summary

register = template.Library()

STATUS_BADGE = {
    AssessmentRound.Status.SELF_ASSESSMENT: "warning",
    AssessmentRound.Status.EXPERT_SCORING: "primary",
    AssessmentRound.Status.DECIDED: "secondary",
}


def _badge(colour: str, kind: str, value: str, label) -> str:
    return format_html('<span class="badge text-bg-{} {}-badge" data-{}="{}">{}</span>', colour, kind, kind, value,
                       label)


@register.simple_tag
def assessment_status_badge(status):
    status = AssessmentRound.Status(status)
    return _badge(STATUS_BADGE[status], "status", status.value, status.label)


@register.simple_tag
def grade_badge(grade):
    if not grade:
        return ""
    grade = Grade(grade)
    return _badge(GRADE_BADGE[grade], "grade", grade.value, grade.label)


@register.simple_tag
def stage_badge(stage):
    if not stage:
        return ""
    stage = LifecycleStage.Stage(stage)
    return _badge(LifecycleStage.BADGE[stage], "stage", stage.value, stage.label)


@register.simple_tag
def alliance_assessment_summary(alliance):
    """``{% alliance_assessment_summary alliance as summary %}``: stage, last assessment, next due date."""

    return alliance_summary(alliance)


@register.filter
def lookup(mapping, key):
    """``{{ figures|lookup:name }}``: a dictionary's value by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None
