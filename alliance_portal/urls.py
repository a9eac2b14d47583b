from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from accounts import views as account_views
from operability.metrics import metrics

from .core import converters
from .health import healthz, livez

converters.register()  # before the apps' URL modules below use <id:…>

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("metrics", metrics, name="metrics"),  # allow-listed addresses only (operability/metrics.py)
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("alliances/", include("alliances.urls")),
    path("reviews/", include("reviews.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("site-visits/", include("site_visits.urls")),
    path("calls/", include("calls.urls")),
    path("assessments/", include("assessments.urls")),
    path("projects/", include("projects.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("api/", include("alliance_portal.api_urls")),
]
handler500 = "operability.request_log.server_error"  # the page shows the request id to quote

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns.append(path("bench/", include("benchmarks.urls")))

admin.site.site_header = settings.PORTAL["BUREAU_NAME"]
admin.site.site_title = gettext_lazy("Alliance Portal")
admin.site.index_title = gettext_lazy("Administration")
