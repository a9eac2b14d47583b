"""Schemathesis over the whole API, deeper than the CI smoke run of tests/api (3 examples per operation):
``RESILIENCE_API_EXAMPLES`` generated requests per operation (default 12), positive and negative data,
as an officer with a read-write token. No answer may be a 500, and every answer must match the schema."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from alliance_portal.wsgi import application
from dashboards.models import ApiTokenScope
from tests.api.conftest import connection_kept_across_requests, make_token
from tests.dashboards.data import make_city

pytestmark = [pytest.mark.resilience]

EXAMPLES = int(os.environ.get("RESILIENCE_API_EXAMPLES", "12"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """The test's connection kept across schemathesis' requests; API throttles are generous here."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"anon": "100000/min", "user": "100000/min", "token": "100000/min"})
    with connection_kept_across_requests():
        yield


@pytest.fixture
def officer_token(db):
    city = make_city(alliances=3, seed=11)
    return make_token(city["officer"], scope=ApiTokenScope.Scope.WRITE)


schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The smoke run of tests/api covers the schema's examples and boundary values (coverage phase); this one adds
# depth: generated requests only, ``EXAMPLES`` per operation.
schema.config.phases.examples.enabled = False
schema.config.phases.coverage.enabled = False


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_answers_500_to_generated_requests(case, officer_token, request):
    response = case.call_and_validate(
        headers={"Authorization": f"Token {officer_token}"},
        # as in tests/api: "schema-valid" ids of records that do not exist are rightly refused with 400
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
    assert response.status_code < 500
    seen = request.node.stash.setdefault(_SEEN, {"cases": 0, "statuses": set()})
    seen["cases"] += 1
    seen["statuses"].add(response.status_code)
    line = (f"{case.operation.method.upper()} {case.operation.path}: {seen['cases']} generated requests → "
            f"statuses {sorted(seen['statuses'])}, no 500, all match the schema")
    properties = request.node.user_properties
    properties[:] = [p for p in properties if p[0] != "resilience"] + [("resilience", line)]


_SEEN = pytest.StashKey[dict]()
