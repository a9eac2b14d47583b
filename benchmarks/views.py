"""The two reference endpoints of the benchmark: what the framework, server and database cost alone.

Mounted under ``/bench/`` only when ``settings.BENCHMARK_ENDPOINTS`` is on (``PORTAL_BENCHMARK_ENDPOINTS=1``);
they read nothing private (alliance names and states are public in the register) but have no
business in production.
"""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from alliances.models import Alliance


def ping(request):
    """A plain Django view: the cost of the server, the middleware and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


class BarePagination(PageNumberPagination):
    page_size = 20


class BareAllianceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alliance
        fields = ["id", "name", "state", "sector", "created_at"]


@extend_schema(exclude=True)
class BareAllianceList(generics.ListAPIView):
    """A plain DRF list of alliances, 20 a page: no authentication, permissions, throttles or filters."""

    queryset = Alliance.objects.order_by("pk")
    serializer_class = BareAllianceSerializer
    pagination_class = BarePagination
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    filter_backends = []
