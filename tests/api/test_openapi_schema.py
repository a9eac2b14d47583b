"""The OpenAPI 3 schema is complete and valid; its two readers are served from vendored assets."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from alliance_portal.api_urls import router


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_validates_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 meta-schema


def test_schema_served_at_api_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Alliance Portal API"


def _schema_paths():
    """Every routed path of the router, in OpenAPI notation."""
    paths = set()
    for url in router.urls:
        route = str(url.pattern)
        if not url.name or url.name == "api-root":
            continue
        route = re.sub(r"\(\?P<(\w+)>[^)]+\)", r"{\1}", route).strip("^$")
        paths.add("/api/v1/" + route)
    return paths


def test_every_routed_endpoint_is_in_the_schema(schema):
    missing = {path.replace("{pk}", "{id}") for path in _schema_paths()} - set(schema["paths"])
    assert not missing


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "409"} <= codes, (method, path)
            if any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "400" in codes, (method, path)


def test_error_shape_is_a_component(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}


def test_filters_enums_and_pagination_are_documented(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/v1/alliances/"]["get"]["parameters"]}
    assert {"sector", "state", "state_group", "district", "year", "created_after", "created_before", "search",
            "ordering", "page", "page_size"} <= set(params)
    assert "pilot" in params["state"]["schema"]["items"]["enum"]
    assert set(schema["components"]["schemas"]["WorkflowStateEnum"]["enum"]) >= {"draft", "pilot", "demonstration"}


def test_token_and_session_authentication_are_documented(schema):
    assert {"knoxApiToken", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.parametrize("url", ["/api/schema/swagger-ui/", "/api/schema/redoc/"])
def test_docs_pages_use_vendored_assets_and_no_inline_script(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="/static/' in attrs or "src=\"/api/" in attrs for attrs, _ in scripts)
    assert all(not body.strip() for _, body in scripts)
    assert "<style" not in html
    assert "style=" not in html


def test_swagger_ui_script_is_served_separately(client):
    response = client.get("/api/schema/swagger-ui/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


@pytest.mark.parametrize("asset", ["swagger-ui-dist/swagger-ui-bundle.js", "redoc/bundles/redoc.standalone.js"])
def test_sidecar_assets_are_served(client, db, asset):
    response = client.get(f"/static/drf_spectacular_sidecar/{asset}")
    try:
        assert response.status_code == 200
    finally:
        response.close()
