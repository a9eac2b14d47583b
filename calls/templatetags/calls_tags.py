from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import markdown

register = template.Library()


@register.filter
def guide_html(text):
    """The call guide's Markdown as safe HTML (raw HTML in the text is shown as text, never run)."""
    return markdown.render(text)


@register.simple_tag
def call_badge(call):
    """One word and colour for where the call's window stands now."""
    now = timezone.now()
    if not call.is_published:
        label, colour = _("Not published"), "secondary"
    elif call.opens_at > now:
        label, colour = _("Not open yet"), "info"
    elif call.closes_at > now:
        label, colour = pgettext("call", "Open"), "success"
    else:
        label, colour = pgettext("call", "Closed"), "secondary"
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
