"""Error reporting to a self-hosted Sentry-compatible collector: off unless ``SENTRY_DSN`` is set.

Personal data stays out. The SDK's ``send_default_pii`` is off (no user IPs, cookies, names), it reads no request
body and no local variables, and ``scrub`` (``before_send``) cleans every event once more before it leaves, since
forms here carry names, e-mail addresses, phone numbers and credit codes, and an error's own message may quote
them (PostgreSQL's ``Key (email)=(…) already exists``):

- the request keeps its method, its URL without the query string, and a few harmless headers; its body, cookies,
  query string and environment go (``Cookie``, ``Authorization`` and the client's address with them);
- the user is reduced to the id;
- in every text of the event (exception messages, log messages and their arguments, breadcrumbs, extra data, tags)
  e-mail addresses, unified social credit codes and 18-character identity numbers, mobile numbers, session and
  CSRF cookie values, ``Token``/``Bearer``/``Basic`` credentials and the values of query strings are replaced;
  stack frames keep their code and lose their local variables.

Each event is tagged with the request id that the 500 page showed the user.
"""

import re

KEPT_HEADERS = {"content-type", "content-length", "user-agent", "x-request-id", "host"}
FILTERED = "[Filtered]"

# (pattern, replacement): what personal data or a credential looks like inside free text.
_TEXT_PATTERNS = [
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
    # unified social credit code (GB 32100) and resident identity number: 18 characters, digits 3-8
    (re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{2}[0-9]{6}[0-9A-Z]{10}(?![0-9A-Za-z])"), "[credit-code]"),
    (re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])"), "[phone]"),
    (re.compile(r"(?i)\b(sessionid|csrftoken|csrfmiddlewaretoken)=[^;&\s\"']+"), rf"\1={FILTERED}"),
    (re.compile(r"(?i)\b(token|bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {FILTERED}"),
    # a query string's values (tokens of signed links, search words): the names stay, for the reader
    (re.compile(r"([?&][^=\s&#?\"']+=)[^&#\s\"']*"), rf"\1{FILTERED}"),
]

# Parts of an event that hold text to clean; the stack frames' source lines and module names are code.
_TEXT_PARTS = ("exception", "logentry", "message", "breadcrumbs", "extra", "tags", "transaction")


def scrub_text(text: str) -> str:
    for pattern, replacement in _TEXT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _scrub_values(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {name: _code_frames(item) if name == "frames" else _scrub_values(item)
                for name, item in value.items() if name != "vars"}
    if isinstance(value, list | tuple):
        return [_scrub_values(item) for item in value]
    return value


def _code_frames(frames):
    """A stack's frames: their code stays as it is (file, function, source lines); their local variables go."""
    if not isinstance(frames, list):
        return frames
    return [{name: item for name, item in frame.items() if name != "vars"} if isinstance(frame, dict) else frame
            for frame in frames]


def _scrub_request(request: dict) -> dict:
    kept = {"method": request.get("method")}
    if isinstance(request.get("url"), str):
        kept["url"] = scrub_text(request["url"].split("?", 1)[0])
    headers = request.get("headers")
    if isinstance(headers, dict):
        kept["headers"] = {name: scrub_text(value) if isinstance(value, str) else value
                           for name, value in headers.items() if name.lower() in KEPT_HEADERS}
    return {name: value for name, value in kept.items() if value is not None}


def scrub(event, hint=None):
    """``before_send``: the event without personal data or credentials (see the module's docstring)."""
    from .request_log import current_request_id

    for part in _TEXT_PARTS:
        if part in event:
            event[part] = _scrub_values(event[part])
    request_id = current_request_id()
    if request_id:  # the reference the 500 page showed the user
        event.setdefault("tags", {})["request_id"] = request_id
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return event


def sdk_options(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> dict:
    """What ``init`` passes to ``sentry_sdk.init`` (tests start the SDK with the same, and a capturing transport)."""
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "dsn": dsn,
        "environment": environment,
        "release": release,
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,  # a frame's locals may hold a form's personal data
        "traces_sample_rate": traces_sample_rate,
        "before_send": scrub,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
    }


def init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> bool:
    """Starts the SDK when a DSN is given; returns whether it did."""
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(**sdk_options(dsn=dsn, environment=environment, release=release,
                                  traces_sample_rate=traces_sample_rate))
    return True
