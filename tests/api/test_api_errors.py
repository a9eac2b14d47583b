"""One error shape: domain errors become 409/403/400 with a reason; bad input is 400 with field errors."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from accounts.roles import Role
from alliance_portal.core.errors import IllegalTransition, NotEligible, NotPermitted, WorkflowError
from alliance_portal.core.rest import exception_handler
from tests.factories import UserFactory

from .conftest import session_client


def _handle(error):
    request = APIRequestFactory().post("/api/v1/alliances/1/submit/")
    return exception_handler(error, {"request": request, "view": None})


@pytest.mark.parametrize(("error", "status", "code"), [
    (IllegalTransition("此申报已进入专家评审，不能提交。"), 409, "illegal_transition"),
    (NotPermitted("只有理事长单位可以提交。"), 403, "not_permitted"),
    (WorkflowError("已被他人处理。"), 409, "workflow_error"),
])
def test_domain_error_becomes_status_with_reason(error, status, code):
    response = _handle(error)
    assert response.status_code == status
    assert response.data == {"detail": error.message, "code": code}


def test_not_eligible_lists_every_problem():
    response = _handle(NotEligible("申报条件不满足。", ["核心企业不足3家", "缺少联盟协议"]))
    assert response.status_code == 400
    assert response.data == {"detail": "申报条件不满足。", "code": "not_eligible",
                             "problems": ["核心企业不足3家", "缺少联盟协议"]}


def test_django_validation_error_becomes_field_errors():
    response = _handle(DjangoValidationError({"amount": ["金额不能为负数。"]}))
    assert response.status_code == 400
    assert response.data == {"amount": ["金额不能为负数。"]}


def test_django_404_has_the_common_shape():
    response = _handle(Http404("secret detail"))
    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert "secret" not in response.data["detail"]


def test_api_exceptions_carry_a_code():
    response = _handle(exceptions.MethodNotAllowed("PATCH"))
    assert response.status_code == 405
    assert response.data["code"] == "method_not_allowed"


@pytest.fixture
def officer_api(db):
    return session_client(UserFactory(roles=[Role.OFFICER]))


@pytest.mark.parametrize("query", [
    "sector=abc", "sector=999999", "state=nonsense", "district=x", "year=twenty", "created_after=2026-13-45",
    "state_group=everything",
])
def test_invalid_filter_is_400_with_the_field_named(officer_api, query):
    response = officer_api.get(f"/api/v1/alliances/?{query}")
    assert response.status_code == 400
    field = query.split("=")[0]
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field], list)


def test_page_size_is_capped(officer_api):
    response = officer_api.get("/api/v1/districts/?page_size=100000")
    assert response.status_code == 200
    from alliances.models import District

    assert len(response.json()["results"]) == min(District.objects.count(), 100)


def test_page_past_the_end_is_404_with_reason(officer_api):
    response = officer_api.get("/api/v1/sectors/?page=999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_ordering_is_ignored_not_500(officer_api):
    assert officer_api.get("/api/v1/alliances/?ordering=chairman__credit_code").status_code == 200


def test_write_to_read_only_resource_is_405(officer_api):
    response = officer_api.post("/api/v1/sectors/", {"name": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_domain_field_errors_sit_beside_the_fields():
    from projects.errors import InvalidReport

    response = _handle(InvalidReport("部分数据低于上期。", {"patents_applied": "不能少于上期的 3 项。"}))
    assert response.status_code == 400
    assert response.data == {"detail": "部分数据低于上期。", "code": "invalid_report",
                             "patents_applied": ["不能少于上期的 3 项。"]}


@pytest.mark.parametrize("query", ["organisations/?sector=99999999999999999999999",
                                   "designations/?year=99999999999999999999",
                                   "reviews/assignments/?version=99999999999999999999",
                                   "alliances/99999999999999999999999/"])
def test_numbers_beyond_64_bits_are_not_a_server_error(officer_api, query):
    response = officer_api.get(f"/api/v1/{query}")
    assert response.status_code in (200, 400, 404)  # PostgreSQL compares such numbers; SQLite refuses
    if response.status_code == 400:  # the filter's own bounds (a field error) or the out-of-range handler
        body = response.json()
        assert body.get("code") in ("out_of_range", "invalid") or set(body) <= {"sector", "year", "version"}
