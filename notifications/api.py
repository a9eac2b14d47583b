"""REST API of the notification centre: each user reaches only their own notifications."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance_portal.core.permissions import QUERYSET

from . import services
from .models import Notification
from .selectors import notifications_of


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Your notifications, newest first; mark one or all read."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    search_fields = ["title", "body"]
    ordering_fields = ["created_at"]
    # Reading and marking your own notifications needs no more than being signed in: the queryset
    # holds only the user's own rows, so another user's notification is a 404.
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET, "mark_read": QUERYSET, "mark_all_read": QUERYSET}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no signed-in user
            return Notification.objects.none()
        return notifications_of(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        """Mark this notification read (again is harmless)."""
        notification = services.mark_read(notification_id=self.get_object().pk, by=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
                   filters=False)
    @action(detail=False, methods=["post"], url_path="mark-all-read", filter_backends=[], pagination_class=None)
    def mark_all_read(self, request):
        """Mark every unread notification of yours read; returns how many changed."""
        return Response({"marked": services.mark_all_read(by=request.user)})


ROUTES = [("notifications", NotificationViewSet, "notification")]
