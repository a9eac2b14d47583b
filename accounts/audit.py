"""One function writes the audit trail; the ``audit`` logger mirrors every event."""

import logging

from .middleware import current_client_ip, note_refusal_audited
from .models import AuditEvent

logger = logging.getLogger("audit")


def _storable(value):
    """``value`` with NUL characters written as ``\\x00``: PostgreSQL stores no NUL in text or JSON, and a
    refused request's path (``/admin/r/1/1%00/``) must still be recorded, not turn the refusal into a 500."""
    if isinstance(value, str):
        return value.replace("\x00", "\\x00")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def record(action: str, *, user=None, outcome: str = AuditEvent.Outcome.OK, obj=None, username: str = "",
           ip_address: str | None = None, **detail) -> AuditEvent:
    """Append an audit event (who, when, from which address, what, outcome)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    event = AuditEvent.objects.create(
        user=user,
        username=_storable(username or (user.get_username() if user else "")),
        ip_address=ip_address or current_client_ip(),
        action=action,
        outcome=outcome,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=_storable(detail),
    )
    if outcome == AuditEvent.Outcome.REFUSED:
        note_refusal_audited()  # the request's refusal is recorded with its reason: not again at the door
    logger.info(
        "%s user=%s ip=%s outcome=%s object=%s:%s %s",
        action, event.username or "-", event.ip_address or "-", outcome, event.object_type, event.object_id,
        detail or "",
    )
    return event
