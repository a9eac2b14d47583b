"""Small template filters used by the shared templates."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def timedelta_minutes(value: timedelta) -> int:
    """Whole minutes of a duration (the lockout's cool-off time)."""
    return int(value.total_seconds() // 60)
