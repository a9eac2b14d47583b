from django.conf import settings

LARGE_PRINT_SESSION_KEY = "large_print"


def portal(request):
    return {"PORTAL": settings.PORTAL, "LARGE_PRINT": large_print(request)}


def large_print(request) -> bool:
    """Whether pages are shown in the ageing-friendly mode: the user's own choice once signed in, the
    session's before."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_print
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(LARGE_PRINT_SESSION_KEY))
