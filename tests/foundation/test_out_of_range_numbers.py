"""The out-of-range numbers the black-box run found (issue 18, finding 3), each answered as the API answers
it: a form error, a 400 or a 404, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from alliance_portal.core.converters import MAX_ID, IdConverter

pytestmark = pytest.mark.django_db
TWENTY_DIGITS = "9" * 20


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("year", ["-1", "0", "10000", TWENTY_DIGITS])
def test_project_list_year_out_of_range_is_a_form_error(officer, year):
    response = _client(officer).get("/projects/", {"year": year})
    assert response.status_code == 200
    assert list(response.context["filter"].form.errors) == ["year"]


@pytest.mark.parametrize("parameter", ["sector", "alliance"])
def test_dashboard_row_list_with_a_twenty_digit_id_is_a_400(officer, parameter):
    response = _client(officer).get("/dashboards/rows/organisations/", {parameter: TWENTY_DIGITS})
    assert response.status_code == 400


def test_api_list_with_a_twenty_digit_id_is_a_400_with_the_field(officer):
    response = _client(officer).get("/api/v1/organisations/", {"alliance": TWENTY_DIGITS})
    assert response.status_code == 400
    assert list(response.json()) == ["alliance"]


def test_version_compare_with_a_twenty_digit_number_is_a_404(officer):
    assert _client(officer).get(f"/alliances/1/versions/{TWENTY_DIGITS}/compare/current/").status_code == 404


def test_admin_date_hierarchy_year_overflow_is_a_400(admin_user):
    url = reverse("admin:alliances_alliance_changelist")
    assert _client(admin_user).get(url, {"created_at__year": TWENTY_DIGITS}).status_code == 400


def test_id_converter_takes_what_a_bigint_holds():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError, match=str(MAX_ID + 1)):
        converter.to_python(str(MAX_ID + 1))
