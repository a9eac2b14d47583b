"""Schemathesis against the API, in process (WSGI), with demo data and an officer's read-write token.

Every operation of the schema gets a few generated requests (deterministic: ``derandomize``); none may
answer 500, and every answer must match the schema: status code, content type, body, headers.
CI keeps it short (3 examples per operation); ``SCHEMATHESIS_EXAMPLES=50`` runs a deeper search.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from alliance_portal.wsgi import application
from dashboards.models import ApiTokenScope

from ..dashboards.data import make_city
from .conftest import connection_kept_across_requests, make_token


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    with connection_kept_across_requests():
        yield


@pytest.fixture
def officer_token(db):
    city = make_city(alliances=3, seed=5)
    return make_token(city["officer"], scope=ApiTokenScope.Scope.WRITE)


# Loaded when the module is collected: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3")), derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_conform_to_the_schema(case, officer_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {officer_token}"},
        # Not about the schema: "schema-valid" ids of records that do not exist are rightly refused (400,
        # naming the field), and DRF ignores a malformed ``page_size`` rather than refusing it.
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
