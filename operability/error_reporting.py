"""Error reporting to a self-hosted Sentry-compatible collector: off unless ``SENTRY_DSN`` is set.

Personal data stays out: the SDK's ``send_default_pii`` is off (no user IPs, cookies, names), and every event
is scrubbed once more before it leaves (request bodies, cookies, query strings, headers other than a few
harmless ones, the user reduced to the id), since forms here carry names, phone numbers and credit codes.
Each event is tagged with the request id that the 500 page showed the user.
"""

KEPT_HEADERS = {"content-type", "content-length", "user-agent", "x-request-id", "host"}


def scrub(event, hint=None):
    from .request_log import current_request_id

    request_id = current_request_id()
    if request_id:  # the reference the 500 page showed the user
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("query_string", None)
        request.pop("env", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return event


def init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> bool:
    """Starts the SDK when a DSN is given; returns whether it did."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,  # a frame's locals may hold a form's personal data
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
    return True
