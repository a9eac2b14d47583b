"""Every dashboard endpoint (API and page) runs the same number of SQL queries at 10 and at 200 alliances."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.middleware import IdleSessionMiddleware

from ..api.conftest import session_client, token_client
from .data import make_city

API = ["/api/v1/dashboard/summary/", "/api/v1/dashboard/time-series/", "/api/v1/dashboard/sectors/",
       "/api/v1/dashboard/districts/", "/api/v1/dashboard/watch-list/"]
PAGES = ["/dashboards/", "/dashboards/rows/projects/?state_group=approved", "/dashboards/rows/alliances/",
         "/dashboards/export/sectors.xlsx", "/dashboards/export/watch-list.xlsx"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _twice(client, url) -> tuple[int, int]:
    """The first request and the next: nothing is kept between them, so both run the same queries."""
    return _queries(client, url), _queries(client, url)


def test_dashboard_query_count_does_not_grow_with_rows(db, monkeypatch):
    # A signed-in session is renewed (one UPDATE) once a minute whatever the data; building the larger city
    # takes longer than that on a busy machine, which would add that write to the second measure only.
    monkeypatch.setattr(IdleSessionMiddleware, "REFRESH_SECONDS", 24 * 3600)
    city = make_city(alliances=10, seed=1)
    officer = city["officer"]
    session, token = session_client(officer), token_client(officer)

    def measure():
        counts = {("token", url): _twice(token, url) for url in API}
        counts.update({("session", url): _twice(session, url) for url in API + PAGES})
        return counts

    small = measure()
    make_city(alliances=190, seed=2)
    assert measure() == small
