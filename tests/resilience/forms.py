"""Finding the portal's forms on its pages, and posting raw bodies to them (bytes the test client would refuse
to send: invalid UTF-8, lone surrogates, NUL), urlencoded or multipart as the form says."""

import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urljoin


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return self.action, tuple(sorted(self.fields))


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.form = Form(self.page, urljoin(self.page, a.get("action") or self.page),
                             (a.get("enctype") or "").lower() == "multipart/form-data")
            return
        if self.form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                if kind == "submit" and a.get("value"):
                    self.form.fields.setdefault(name, Field(name, "select", a["value"], [a["value"]]))
                    self.form.fields[name].options.append(a["value"])
                return
            if kind in ("checkbox", "radio"):
                existing = self.form.fields.setdefault(name, Field(name, kind))
                existing.options.append(a.get("value", "on"))
                if "checked" in a:
                    existing.value = a.get("value", "on")
                return
            self.form.fields[name] = Field(name, kind, a.get("value", ""))
        elif tag == "textarea":
            self.textarea = self.form.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self.select = self.form.fields[name] = Field(name, "select")
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
            if "selected" in a:
                self.select.value = a.get("value", "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "select":
            if self.select is not None and not self.select.value and self.select.options:
                self.select.value = self.select.options[0]
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


def _declared(content_type: str, charset: str | None) -> str:
    return content_type if charset is None else f"{content_type}; charset={charset}"


def urlencoded(values: list[tuple[str, bytes]], charset: str | None = None) -> tuple[bytes, str]:
    """``charset``: declared in the content type (the bytes of ``values`` are sent as they are)."""
    body = "&".join(f"{quote_from_bytes(name.encode())}={quote_from_bytes(value)}" for name, value in values)
    return body.encode(), _declared("application/x-www-form-urlencoded", charset)


def multipart(values: list[tuple[str, bytes]], files: list[tuple[str, str, str, bytes]],
              charset: str | None = None) -> tuple[bytes, str]:
    """``files``: (field, file name, declared content type, content); ``charset`` as for ``urlencoded``."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in values:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value)
    for name, filename, content_type, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, _declared(f"multipart/form-data; boundary={boundary}", charset)
