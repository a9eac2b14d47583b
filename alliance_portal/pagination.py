"""API pagination: ``?page=`` and ``?page_size=``, capped so that no client can ask for everything at once.

Its own module because DRF reads the pagination class from the settings while importing its generic
views: this module must import nothing that imports them.
"""

from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class PortalPagination(PageNumberPagination):
    """20 rows a page by default, at most ``MAX_PAGE_SIZE``."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
