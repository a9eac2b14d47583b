"""REST API of accounts: who am I (roles, organisation, the token in use)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from alliance_portal.core.auth import token_is_read_only, token_of
from alliance_portal.core.permissions import QUERYSET

from .models import User
from .roles import Role


class TokenInfoSerializer(serializers.Serializer):
    expiry = serializers.DateTimeField(allow_null=True)
    read_only = serializers.BooleanField()


@extend_schema_serializer(many=False)  # the answer of the "list" action is one object
class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    token = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "roles", "organisation", "is_org_admin", "token"]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user) -> list[str]:
        return sorted(role.value for role in Role if user.has_role(role))

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_organisation(self, user):
        if user.organisation_id is None:
            return None
        return {"id": user.organisation_id, "name": user.organisation.name, "kind": user.organisation.kind}

    @extend_schema_field(TokenInfoSerializer(allow_null=True))
    def get_token(self, user):
        token = token_of(self.context["request"])
        if token is None:
            return None
        return {"expiry": token.expiry, "read_only": token_is_read_only(token)}


class MeViewSet(viewsets.ViewSet):
    """The signed-in user, with roles and the token in use (null for a browser session)."""

    permission_map = {"list": QUERYSET}

    @extend_schema(responses=MeSerializer, filters=False)
    def list(self, request):
        user = User.objects.select_related("organisation").get(pk=request.user.pk)
        return Response(MeSerializer(user, context={"request": request}).data)


ROUTES = [("me", MeViewSet, "me")]
