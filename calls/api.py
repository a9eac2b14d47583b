"""Read-only API of calls: published calls for any signed-in user, every call and the funnel for officers."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance_portal.core.permissions import QUERYSET

from . import selectors
from .models import Call, RequiredDocument, WindowExtension
from .rules import is_bureau_officer


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "name_en", "description", "is_required"]


class WindowExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = WindowExtension
        fields = ["previous_closes_at", "closes_at", "reason", "extended_at"]


class CallSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    is_open = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["id", "year", "batch_number", "title", "title_en", "sectors", "opens_at", "closes_at", "is_open",
                  "requires_district_recommendation", "district_quota", "uses_site_visits", "stages",
                  "is_published"]

    def get_is_open(self, call) -> bool:
        return call.is_open()

    def get_stages(self, call) -> list[str]:
        return sorted(stage.value for stage in call.stages)


class CallDetailSerializer(CallSerializer):
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    extensions = WindowExtensionSerializer(many=True, read_only=True)

    class Meta(CallSerializer.Meta):
        fields = [*CallSerializer.Meta.fields, "guide", "required_documents", "extensions"]


FunnelSerializer = inline_serializer(
    name="CallFunnel", fields={step.key: serializers.IntegerField() for step in selectors.FUNNEL},
)


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for applications (申报批次). Members see published calls; officers see all and the funnel."""

    permission_map = {"list": QUERYSET, "retrieve": QUERYSET, "funnel": "calls.view_funnel"}

    def get_queryset(self):
        calls = Call.objects.prefetch_related("sectors").order_by("-year", "-batch_number")
        if not is_bureau_officer(self.request.user):
            calls = calls.filter(is_published=True)
        if self.action == "retrieve":
            calls = calls.prefetch_related("required_documents", "extensions")
        return calls

    def get_serializer_class(self):
        return CallDetailSerializer if self.action == "retrieve" else CallSerializer

    @extend_schema(responses={200: FunnelSerializer})
    @action(detail=True, methods=["get"])
    def funnel(self, request, pk=None):
        """How many of the call's applications reached each step (drafts by current state)."""
        return Response(selectors.funnel(self.get_object()))


ROUTES = [("calls", CallViewSet, "call")]
