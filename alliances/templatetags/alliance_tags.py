"""Small template helpers of the alliances pages: form cells in tables, sort links, money."""

from decimal import Decimal

import rules
from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from alliances.workflow import State

from ..models import Membership

register = template.Library()

MEMBERSHIP_BADGE = {"invited": "warning", "confirmed": "success", "declined": "secondary", "left": "dark"}


@register.simple_tag
def cell(field, **attrs):
    """A form field's widget with Bootstrap classes and its errors beside it, for formset tables."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css, "aria-label": str(field.label), **attrs}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}-errors"
    html = field.as_widget(attrs=attrs)
    if field.errors:
        html += format_html('<div class="invalid-feedback d-block" id="{}-errors">{}</div>', field.auto_id,
                            " ".join(str(e) for e in field.errors))
    return html


@register.simple_tag
def membership_badge(membership):
    return format_html('<span class="badge text-bg-{} membership-badge" data-status="{}">{}</span>',
                       MEMBERSHIP_BADGE.get(membership.status, "secondary"), membership.status,
                       membership.get_status_display())


@register.filter
def money(value):
    """An amount in 万元 with thousands separators and two to four decimals (never a float)."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    places = 4 if value != value.quantize(Decimal("0.01")) else 2
    # Grouped in thousands in every language, as on the bureau's forms (zh-Hans would group by 10,000).
    return f"{value:,.{places}f}"


@register.filter
def plain_number(value):
    """A decimal without trailing zeros: 10, 2.5 (never 10.0000 or 1E+1)."""
    if value in (None, ""):
        return ""
    return format(Decimal(value).normalize(), "f")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination and sorting keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by ``key`` and toggles the direction; shows the current direction."""
    current = context["request"].GET.get("o", "")
    if current == key:
        target, icon, aria = f"-{key}", "bi-sort-up", _("sorted ascending")
    elif current == f"-{key}":
        target, icon, aria = key, "bi-sort-down", _("sorted descending")
    else:
        target, icon, aria = key, "bi-arrow-down-up text-body-tertiary", ""
    href = query_with(context, o=target, page=None)
    return format_html('<a class="sort-link text-reset text-decoration-none" href="{}">{} <i class="bi {}" '
                       'aria-hidden="true"></i>{}</a>', href, label, icon,
                       format_html('<span class="visually-hidden"> ({})</span>', aria) if aria else "")


@register.filter
def state_label(value):
    return State(value).label


@register.filter
def editable_by(alliance, user):
    """Whether ``user`` may edit the application now (the rule itself: no superuser shortcut)."""
    return rules.has_perm("alliances.edit_application", user, alliance)


@register.simple_tag
def pending_invitation_count(user):
    """Unanswered invitations to the user's organisation (one indexed COUNT; 0 without an organisation)."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return 0

    return Membership.objects.filter(organisation_id=user.organisation_id, status=Membership.Status.INVITED).count()
