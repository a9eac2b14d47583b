"""Sign-in lockout: django-axes with a second, higher threshold per address.

axes counts failures per account name and per account name from one address
(``AXES_LOCKOUT_PARAMETERS``) against one limit (``AXES_FAILURE_LIMIT``, 5 in 15 minutes). Locking an
address after five failures by anyone would lock a whole office behind one NAT, so an address alone is
locked only after ``AXES_IP_FAILURE_LIMIT`` failures (50) in the same cool-off window: enough for a
guesser trying many names, never for colleagues mistyping their own passwords.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failures_from_address(request) -> int:
    """Failed sign-ins from the request's address, any account name, within the cool-off window."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """axes' database handler; an address over its own limit counts as locked out (answered as axes does)."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if failures_from_address(request) >= settings.AXES_IP_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
