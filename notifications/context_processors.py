from functools import cached_property

from .services import unread_count


class UnreadNotifications:
    """The signed-in user's unread count, counted at most once per page and only if a template asks."""

    def __init__(self, request):
        self._request = request

    @cached_property
    def count(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    def __bool__(self):
        return self.count > 0


def unread(request):
    return {"unread_notifications": UnreadNotifications(request)}
