"""The last resort for a number the database cannot compare.

Pages, the API and the URL converters bound every number they accept (``alliance_portal.core.filters``,
``alliance_portal.core.converters``); this catches what reaches the database around them anyway (a
third-party admin's date hierarchy given ``?attempt_time__year=99999999999999999999``): SQLite raises
``OverflowError``, PostgreSQL "numeric value out of range" (SQLSTATE 22003). Either is the request's
fault: a 400, logged so that the place that let it through can be bounded too.
"""

import logging

from django.db import DataError
from django.views.defaults import bad_request

logger = logging.getLogger("alliance_portal.out_of_range")

NUMERIC_VALUE_OUT_OF_RANGE = "22003"


def is_out_of_range(exception: Exception) -> bool:
    if isinstance(exception, OverflowError):
        return True
    if isinstance(exception, DataError):
        return getattr(exception.__cause__, "sqlstate", None) == NUMERIC_VALUE_OUT_OF_RANGE
    return False


class OutOfRangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_out_of_range(exception):
            return None
        logger.warning("out-of-range number in %s %s: %s", request.method, request.path, exception)
        return bad_request(request, exception)
