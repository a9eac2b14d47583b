"""``/bench/…``: included by ``alliance_portal/urls.py`` only when ``settings.BENCHMARK_ENDPOINTS`` is on."""

from django.urls import path

from . import views

app_name = "benchmarks"

urlpatterns = [
    path("ping", views.ping, name="ping"),
    path("alliances/", views.BareAllianceList.as_view(), name="alliances"),
]
