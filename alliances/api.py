"""REST API of the alliances app: sectors, districts, member units, alliances, memberships, applications.

Querysets filter first (``Alliance.objects.visible_to(user)``): a member unit reaches only its own
organisation and the alliances it belongs to; anything else is 404.
"""

import django_filters
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance_portal.core.filters import IdFilter, YearFilter
from alliance_portal.core.pagination import PageFirstMixin
from alliance_portal.core.permissions import QUERYSET
from alliance_portal.core.rest import ChoiceLabel
from alliances import workflow
from alliances.models import StateTransition
from alliances.selectors import timeline
from assessments.models import LifecycleStage
from reviews.models import Designation

from .models import Alliance, ApplicationVersion, District, Membership, Organisation, RDPlatform, Sector
from .rules import sees_all_alliances
from .selectors import confirmed_member_count

STATE_GROUPS = {
    "editable": workflow.EDITABLE_BY_APPLICANT,
    "under_review": workflow.UNDER_REVIEW,
    "designated": workflow.DESIGNATED,
    "closed": workflow.CLOSED,
}


class DesignationLevel:
    """An alliance's highest standing designation (认定级别), as the public register shows it."""

    DEMONSTRATION = Designation.Level.DEMONSTRATION.value
    PILOT = Designation.Level.PILOT.value
    NONE = "none"
    CHOICES = [(DEMONSTRATION, Designation.Level.DEMONSTRATION.label), (PILOT, Designation.Level.PILOT.label),
               (NONE, _("Not designated"))]


def designation_level():
    """An alliance's designation level: demonstration, pilot or none (standing designations of a designated
    alliance only, as in the public register)."""
    standing = Designation.objects.filter(alliance=OuterRef("pk"), revoked_at__isnull=True)
    designated = Q(state__in=sorted(workflow.DESIGNATED))
    return Case(
        When(designated & Exists(standing.filter(level=DesignationLevel.DEMONSTRATION)),
             then=Value(DesignationLevel.DEMONSTRATION)),
        When(designated & Exists(standing.filter(level=DesignationLevel.PILOT)), then=Value(DesignationLevel.PILOT)),
        default=Value(DesignationLevel.NONE), output_field=CharField(),
    )


def has_designation_level(level: str) -> Q:
    """The alliances whose ``designation_level()`` is ``level``, as a condition the database plans as joins
    (a filter on the ``CASE`` evaluated it row by row: its two subqueries for each of 2,000 alliances)."""
    standing = Designation.objects.filter(alliance=OuterRef("pk"), revoked_at__isnull=True)
    designated = Q(state__in=sorted(workflow.DESIGNATED))
    demonstration = Exists(standing.filter(level=DesignationLevel.DEMONSTRATION))
    pilot = Exists(standing.filter(level=DesignationLevel.PILOT))
    if level == DesignationLevel.DEMONSTRATION:
        return designated & demonstration
    if level == DesignationLevel.PILOT:
        return designated & ~demonstration & pilot
    return ~designated | (~demonstration & ~pilot)


def lifecycle_stage():
    """The newest life-cycle stage the bureau recorded (empty when none)."""
    newest = LifecycleStage.objects.filter(alliance=OuterRef("pk")).order_by("-set_at", "-pk").values("stage")[:1]
    return Coalesce(Subquery(newest), Value(""), output_field=CharField())


def list_columns() -> dict:
    """What the alliance lists show and may filter or sort by, beyond the alliance's own columns."""
    return {"member_count": confirmed_member_count(), "designation_level": designation_level(),
            "lifecycle_stage": lifecycle_stage()}


def alliance_rows(user):
    """The alliances the user may see, with ``list_columns`` as aliases: computed only where a filter or the
    sort order uses them."""
    return Alliance.objects.visible_to(user).alias(**list_columns())


def with_list_columns(queryset):
    """The rows as the lists show them: sector, chairman unit and district joined, ``list_columns`` computed."""
    return queryset.select_related("sector", "chairman__district").annotate(**list_columns())


def visible_organisations(user):
    """Member units the user may see: the bureau sees all; a member unit sees only itself."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if sees_all_alliances(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=user.organisation_id) if user.organisation_id else Organisation.objects.none()


def visible_memberships(user):
    return Membership.objects.filter(alliance__in=Alliance.objects.visible_to(user).values("pk"))


# --- Serializers --------------------------------------------------------------------------------


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "name_en", "is_active", "position"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name", "name_en"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    """A member unit named inside another record."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class RDPlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = RDPlatform
        fields = ["kind", "level", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    district = DistrictSerializer(read_only=True)
    kind_label = ChoiceLabel("kind")
    verification_label = ChoiceLabel("verification")
    platforms = RDPlatformSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "kind", "kind_label", "credit_code", "legal_representative", "address", "district",
            "contact_person", "phone", "email", "is_high_tech", "rd_staff", "rd_spending", "revenue",
            "verification", "verification_label", "verified_at", "created_at", "platforms",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    role_label = ChoiceLabel("role")
    status_label = ChoiceLabel("status")

    class Meta:
        model = Membership
        fields = ["id", "alliance", "organisation", "role", "role_label", "is_core", "status", "status_label",
                  "invited_at", "responded_at", "left_at"]


class AllianceSerializer(serializers.ModelSerializer):
    """An alliance in a list: its sector, chairman unit, district, state and member count."""

    sector = SectorSerializer(read_only=True)
    chairman = OrganisationRefSerializer(read_only=True)
    district = DistrictSerializer(source="chairman.district", read_only=True)
    state_label = ChoiceLabel("state")
    state_badge = serializers.SerializerMethodField(help_text=_("Bootstrap colour of the state's badge."))
    member_count = serializers.IntegerField(read_only=True, help_text=_("Confirmed member units."))
    designation_level = serializers.ChoiceField(choices=DesignationLevel.CHOICES, read_only=True,
                                                help_text=_("Highest standing designation."))
    lifecycle_stage = serializers.CharField(read_only=True, help_text=_(
        "Newest life-cycle stage recorded (formation, growth, maturity, decline, regeneration), or empty."))

    class Meta:
        model = Alliance
        fields = ["id", "name", "sector", "chairman", "district", "state", "state_label", "state_badge",
                  "state_changed_at", "current_version", "member_count", "designation_level", "lifecycle_stage",
                  "created_at"]

    @extend_schema_field(serializers.CharField())
    def get_state_badge(self, alliance) -> str:
        return workflow.BADGE.get(alliance.state, "secondary")


class AllianceDetailSerializer(AllianceSerializer):
    """One alliance with its confirmed and invited members."""

    members = MembershipSerializer(source="current_memberships", many=True, read_only=True)

    class Meta(AllianceSerializer.Meta):
        fields = [*AllianceSerializer.Meta.fields, "technical_direction", "output_targets", "secretariat_contact",
                  "secretariat_phone", "secretariat_email", "secretariat_address", "standing_body", "members"]


class TransitionSerializer(serializers.ModelSerializer):
    """One step of an application's timeline."""

    source_label = ChoiceLabel("source")
    target_label = ChoiceLabel("target")
    actor = serializers.SerializerMethodField()

    class Meta:
        model = StateTransition
        fields = ["id", "action", "source", "source_label", "target", "target_label", "actor", "at", "comment",
                  "version"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, record) -> str | None:
        return str(record.actor) if record.actor_id else None


class ApplicationVersionSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    submitted_by = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationVersion
        fields = ["id", "alliance", "alliance_name", "number", "submitted_by", "submitted_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_submitted_by(self, version) -> str | None:
        return str(version.submitted_by) if version.submitted_by_id else None


class ApplicationVersionDetailSerializer(ApplicationVersionSerializer):
    class Meta(ApplicationVersionSerializer.Meta):
        fields = [*ApplicationVersionSerializer.Meta.fields, "snapshot"]


# --- Filters ------------------------------------------------------------------------------------


class SectorFilter(django_filters.FilterSet):
    class Meta:
        model = Sector
        fields = ["is_active"]


class OrganisationFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all())
    sector = IdFilter(method="filter_sector",
                      label=_("confirmed member of an alliance of this sector (id)"))
    alliance = IdFilter(method="filter_alliance", label=_("confirmed member of this alliance"))
    member_of_alliance = django_filters.BooleanFilter(method="filter_member_of_alliance",
                                                      label=_("confirmed member of at least one alliance"))
    alliance_role = django_filters.ChoiceFilter(choices=Membership.Role.choices, method="filter_alliance_role",
                                                label=_("confirmed member in this role of at least one alliance"))
    registered_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    registered_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Organisation
        fields = ["kind", "district", "verification", "is_high_tech"]

    def filter_sector(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Membership.objects.filter(
            status=Membership.Status.CONFIRMED, alliance__sector_id=value).values("organisation_id"))

    def filter_member_of_alliance(self, queryset, name, value):
        if value is None:
            return queryset
        members = Membership.objects.filter(status=Membership.Status.CONFIRMED).values("organisation_id")
        return queryset.filter(pk__in=members) if value else queryset.exclude(pk__in=members)

    def filter_alliance_role(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Membership.objects.filter(
            status=Membership.Status.CONFIRMED, role=value).values("organisation_id"))

    def filter_alliance(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Membership.objects.filter(
            status=Membership.Status.CONFIRMED, alliance_id=value).values("organisation_id"))


class AllianceFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all())
    state = django_filters.MultipleChoiceFilter(choices=workflow.State.choices)
    state_group = django_filters.ChoiceFilter(
        choices=[(key, key) for key in STATE_GROUPS], method="filter_state_group",
        label=_("group of states: editable, under_review, designated or closed"),
    )
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(), field_name="chairman__district",
                                                label=_("district of the chairman unit"))
    designation_level = django_filters.ChoiceFilter(choices=DesignationLevel.CHOICES, method="filter_designation_level",
                                                    label=_("highest standing designation"))
    lifecycle_stage = django_filters.ChoiceFilter(choices=LifecycleStage.Stage.choices,
                                                  label=_("newest life-cycle stage recorded"))
    year = YearFilter(field_name="created_at", lookup_expr="year",
                                       label=_("year the application was started"))
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    state_changed_after = django_filters.DateFilter(field_name="state_changed_at", lookup_expr="date__gte")
    state_changed_before = django_filters.DateFilter(field_name="state_changed_at", lookup_expr="date__lte")

    class Meta:
        model = Alliance
        fields = ["sector", "state", "district", "designation_level", "lifecycle_stage", "year"]

    def filter_state_group(self, queryset, name, value):
        return queryset.filter(state__in=sorted(STATE_GROUPS[value])) if value else queryset

    def filter_designation_level(self, queryset, name, value):
        return queryset.filter(has_designation_level(value)) if value else queryset


class MembershipFilter(django_filters.FilterSet):
    organisation_kind = django_filters.ChoiceFilter(field_name="organisation__kind",
                                                    choices=Organisation.Kind.choices)
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="alliance__sector")

    class Meta:
        model = Membership
        fields = ["alliance", "organisation", "role", "status", "is_core"]


class ApplicationVersionFilter(django_filters.FilterSet):
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = ApplicationVersion
        fields = ["alliance"]


# --- Viewsets -----------------------------------------------------------------------------------


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Industry sectors (产业领域), managed by the bureau in the admin."""

    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    filterset_class = SectorFilter
    search_fields = ["name", "name_en", "code"]
    ordering_fields = ["position", "name", "code"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Districts and counties (区县) of the city."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_fields = ["code"]
    search_fields = ["name", "name_en", "code"]
    ordering_fields = ["code", "name"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Member units (成员单位). The bureau sees all; a member unit only itself."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name", "credit_code", "contact_person"]
    ordering_fields = ["name", "created_at", "kind"]
    ordering = ["name"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        return visible_organisations(self.request.user).select_related("district").prefetch_related("platforms")


class AllianceViewSet(PageFirstMixin, viewsets.ReadOnlyModelViewSet):
    """Alliances (产业技术创新战略联盟) with their state, members and application timeline."""

    filterset_class = AllianceFilter
    search_fields = ["name", "chairman__name", "technical_direction"]
    ordering_fields = ["name", "created_at", "state_changed_at", "member_count", "state", "designation_level"]
    ordering = ["-created_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": "alliances.view_alliance", "timeline": "alliances.view_alliance"}

    def rows(self):
        return alliance_rows(self.request.user)

    def visible(self):
        return Alliance.objects.visible_to(self.request.user)

    def shown(self, queryset):
        queryset = with_list_columns(queryset)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    status__in=[Membership.Status.CONFIRMED, Membership.Status.INVITED]
                ).select_related("organisation").order_by("role", "organisation__name"),
                to_attr="current_memberships",
            ))
        return queryset

    def get_serializer_class(self):
        return AllianceDetailSerializer if self.action == "retrieve" else AllianceSerializer

    @extend_schema(responses=TransitionSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        """Every state change of the application, oldest first: who, when, from, to, comment."""
        alliance = self.get_object()
        return Response(TransitionSerializer(timeline(alliance), many=True).data)


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Memberships of the alliances you can see (role, core enterprise, status)."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["invited_at", "role"]
    ordering = ["alliance_id", "role", "pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        return visible_memberships(self.request.user).select_related("organisation")


class ApplicationVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Submitted application versions (申报材料), immutable snapshots numbered per alliance."""

    filterset_class = ApplicationVersionFilter
    ordering_fields = ["submitted_at", "number"]
    ordering = ["-submitted_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        queryset = ApplicationVersion.objects.filter(
            alliance__in=Alliance.objects.visible_to(self.request.user).values("pk")
        ).select_related("alliance", "submitted_by")
        if self.action != "retrieve":
            queryset = queryset.defer("snapshot")
        return queryset

    def get_serializer_class(self):
        return ApplicationVersionDetailSerializer if self.action == "retrieve" else ApplicationVersionSerializer


ROUTES = [
    ("sectors", SectorViewSet, "sector"),
    ("districts", DistrictViewSet, "district"),
    ("organisations", OrganisationViewSet, "organisation"),
    ("alliances", AllianceViewSet, "alliance"),
    ("memberships", MembershipViewSet, "membership"),
    ("applications", ApplicationVersionViewSet, "application"),
]
