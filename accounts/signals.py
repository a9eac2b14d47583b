"""Logins, failed logins, logouts and lockouts go to the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record
from .middleware import IdleSessionMiddleware, client_ip_of
from .models import AuditEvent


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("login", user=user, ip_address=client_ip_of(request) if request else None)


@receiver(user_logged_in, dispatch_uid="accounts.session_renewed_at_login")
def _session_renewed(sender, request, user, **kwargs):
    """Signing in writes the session anyway: it counts as its first renewal."""
    if request is not None and hasattr(request, "session"):
        IdleSessionMiddleware.renewed(request.session)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("logout", user=user, ip_address=client_ip_of(request) if request else None)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(
        "login",
        outcome=AuditEvent.Outcome.FAILED,
        username=str(credentials.get("username", ""))[:150],
        ip_address=client_ip_of(request) if request else None,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record("lockout", outcome=AuditEvent.Outcome.REFUSED, username=(username or "")[:150], ip_address=ip_address)
