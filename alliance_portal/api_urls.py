"""The REST API under ``/api/``: resources at ``v1/``, the OpenAPI schema and its two readers.

Each app's ``api.py`` declares ``ROUTES`` (prefix, viewset, basename); they are registered here on
one router so that every resource shares ``/api/v1/``. Swagger UI and ReDoc come from the vendored
sidecar package and our own CSP-clean templates (no CDN, no inline script).
"""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from alliances import api as alliances_api
from assessments import api as assessments_api
from calls import api as calls_api
from dashboards import api as dashboards_api
from notifications import api as notifications_api
from projects import api as projects_api
from reviews import api as reviews_api


class PortalRouter(DefaultRouter):
    include_format_suffixes = False


router = PortalRouter()
for module in (accounts_api, alliances_api, reviews_api, calls_api, assessments_api, projects_api, notifications_api,
               dashboards_api):
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)



@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request, path=""):
    """Anything else under /api/ is a JSON 404 (not the site's HTML page): clients parse every answer."""
    raise NotFound


app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "schema/swagger-ui/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                            template_name="dashboards/api/swagger_ui.html"),
        name="swagger-ui",
    ),
    path(
        "schema/redoc/",
        # ReDoc styles itself with injected <style> elements and renders in a blob: worker.
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="dashboards/api/redoc.html")
        ),
        name="redoc",
    ),
    re_path(r"^(?P<path>[\s\S]*)$", not_found, name="not-found"),
]
