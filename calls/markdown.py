"""The call guide (申报指南) is Markdown written by officers and shown to anyone: rendered without raw HTML."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "js-default" is CommonMark with raw HTML off; markdown-it also refuses javascript:/vbscript:/data: links.
_renderer = MarkdownIt("js-default", {"typographer": False}).enable("table")


def render(text: str) -> SafeString:
    return mark_safe(_renderer.render(text or ""))  # noqa: S308 -- raw HTML is disabled, text is escaped
