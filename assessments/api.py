"""REST API of assessments (考核评估): rounds with their outcome, decisions, and life-cycle stages.

Rounds come from ``selectors.rounds_visible_to(user)``: the bureau sees all, a member unit those of
its own alliances. Every change calls ``assessments.services``; refusals come back as 409/403/400.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance_portal.core.filters import YearFilter
from alliance_portal.core.permissions import QUERYSET
from alliance_portal.core.rest import ChoiceLabel
from alliances.models import Alliance, District, Sector

from . import services
from .models import (
    AssessmentRound,
    Grade,
    HealthDimension,
    HealthRating,
    HealthScore,
    LifecycleStage,
    Rectification,
)
from .selectors import rounds_visible_to


class AssessmentSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    kind_label = ChoiceLabel("kind")
    status_label = ChoiceLabel("status")
    grade_label = ChoiceLabel("grade")
    outcome_label = ChoiceLabel("outcome")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRound
        fields = ["id", "alliance", "alliance_name", "kind", "kind_label", "status", "status_label", "opened_from",
                  "period_start", "period_end", "opened_at", "self_assessment_due", "is_overdue", "total_score",
                  "grade", "grade_label", "outcome", "outcome_label", "outcome_reason", "decided_at", "comment"]

    def get_is_overdue(self, assessment) -> bool:
        return assessment.is_overdue()


class OpenAssessmentSerializer(serializers.Serializer):
    alliance = serializers.PrimaryKeyRelatedField(queryset=Alliance.objects.all())
    kind = serializers.ChoiceField(choices=[AssessmentRound.Kind.BIENNIAL, AssessmentRound.Kind.ON_DEMAND],
                                   default=AssessmentRound.Kind.BIENNIAL)
    due_date = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text=_("When the self-assessment is due (default: the configured days)."))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class DecideSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    rectification_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    required_actions = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)


class DecideReassessmentSerializer(serializers.Serializer):
    restore = serializers.BooleanField(help_text=_("True restores pilot status; false revokes the title."))
    comment = serializers.CharField(max_length=4000)


class ReassessSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class HealthScoreSerializer(serializers.ModelSerializer):
    dimension_label = ChoiceLabel("dimension")
    rating_label = ChoiceLabel("rating")

    class Meta:
        model = HealthScore
        fields = ["dimension", "dimension_label", "rating", "rating_label", "comment"]


class LifecycleStageSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    stage_label = ChoiceLabel("stage")
    health = HealthScoreSerializer(many=True, read_only=True,
                                   help_text=_("The six health dimensions rated 1 (poor) to 5 (good) with the stage."))

    class Meta:
        model = LifecycleStage
        fields = ["id", "alliance", "alliance_name", "stage", "stage_label", "round", "health", "reason", "set_at"]


class HealthInputSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=HealthDimension.choices)
    rating = serializers.ChoiceField(choices=HealthRating.choices)
    comment = serializers.CharField(max_length=200)


class SetStageSerializer(serializers.Serializer):
    alliance = serializers.PrimaryKeyRelatedField(queryset=Alliance.objects.all())
    stage = serializers.ChoiceField(choices=LifecycleStage.Stage.choices)
    # A list of {dimension, rating, comment}; checked here so that its errors stay a flat list of messages
    # beside "health", as every other field's do.
    health = serializers.JSONField(help_text=_(
        "Each of the six health dimensions once, as a list of objects {dimension, rating (1 poor to 5 good), "
        "comment (up to 200 characters)}."))
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def validate_health(self, rows):
        if not isinstance(rows, list):
            raise serializers.ValidationError(_("Give the six health dimensions as a list."))
        checked, problems = {}, []
        for position, row in enumerate(rows, start=1):
            item = HealthInputSerializer(data=row if isinstance(row, dict) else {})
            if not item.is_valid():
                problems.extend(f"{position}. {name}: {message}" for name, messages in item.errors.items()
                                for message in messages)
                continue
            checked[item.validated_data["dimension"]] = (item.validated_data["rating"], item.validated_data["comment"])
        if problems:
            raise serializers.ValidationError(problems)
        if len(rows) != len(HealthDimension.values) or set(checked) != set(HealthDimension.values):
            raise serializers.ValidationError(_("Rate each of the six health dimensions once."))
        return checked


class AssessmentFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="alliance__sector")
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(),
                                                field_name="alliance__chairman__district",
                                                label=_("district of the alliance's chairman unit"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("self-assessment overdue"))
    year = YearFilter(field_name="opened_at", lookup_expr="year", label=_("year opened"))
    opened_after = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__gte")
    opened_before = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__lte")
    decided_after = django_filters.DateFilter(field_name="decided_at", lookup_expr="date__gte")
    decided_before = django_filters.DateFilter(field_name="decided_at", lookup_expr="date__lte")

    class Meta:
        model = AssessmentRound
        fields = ["alliance", "kind", "status", "outcome", "grade"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status=AssessmentRound.Status.SELF_ASSESSMENT, self_assessment_due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class LifecycleStageFilter(django_filters.FilterSet):
    set_after = django_filters.DateFilter(field_name="set_at", lookup_expr="date__gte")
    set_before = django_filters.DateFilter(field_name="set_at", lookup_expr="date__lte")

    class Meta:
        model = LifecycleStage
        fields = ["alliance", "stage"]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment rounds: biennial, on demand, re-assessment; with grade and outcome once decided."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["opened_at", "self_assessment_due", "decided_at", "total_score"]
    ordering = ["-opened_at", "-pk"]
    # Deciding is the bureau's alone: refused (403) before anything about the round is told.
    permission_map = {"list": QUERYSET, "retrieve": "assessments.view_assessment",
                      "open": "assessments.manage_assessments", "decide": "assessments.manage_assessments",
                      "decide_reassessment": "assessments.manage_assessments",
                      "reassess": "assessments.manage_assessments"}

    def get_queryset(self):
        return rounds_visible_to(self.request.user).select_related("alliance")

    @extend_schema(request=OpenAssessmentSerializer, responses={201: AssessmentSerializer}, filters=False)
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def open(self, request):
        """Open an assessment of a pilot or demonstration alliance; the alliance becomes "under assessment"."""
        data = OpenAssessmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alliance = data.validated_data.pop("alliance")
        if not Alliance.objects.visible_to(request.user).filter(pk=alliance.pk).exists():
            raise serializers.ValidationError({"alliance": [_("No such alliance.")]})
        assessment = services.open_assessment(alliance, by=request.user, **data.validated_data)
        return Response(AssessmentSerializer(assessment).data, status=201)

    @extend_schema(request=DecideSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Decide the assessment from the experts' mean score: demonstration, status kept, or rectification."""
        assessment = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.decide_outcome(assessment, by=request.user, **data.validated_data)
        return Response(AssessmentSerializer(decided).data)

    @extend_schema(request=ReassessSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def reassess(self, request, pk=None):
        """Open the re-assessment of this failed assessment's rectification (整顿)."""
        assessment = self.get_object()
        data = ReassessSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rectification = Rectification.objects.filter(round=assessment).first()
        if rectification is None:
            raise serializers.ValidationError({"non_field_errors": [_("This assessment ordered no rectification.")]})
        reassessment = services.open_reassessment(rectification, by=request.user, **data.validated_data)
        return Response(AssessmentSerializer(reassessment).data, status=201)

    @extend_schema(request=DecideReassessmentSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="decide-reassessment")
    def decide_reassessment(self, request, pk=None):
        """Restore pilot status or revoke the title after a re-assessment; the reason is required."""
        assessment = self.get_object()
        data = DecideReassessmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.decide_reassessment(assessment, by=request.user, **data.validated_data)
        return Response(AssessmentSerializer(decided).data)


class LifecycleStageViewSet(viewsets.ReadOnlyModelViewSet):
    """The life-cycle stages (生命周期阶段) recorded for the alliances you see; the newest per alliance is current."""

    serializer_class = LifecycleStageSerializer
    filterset_class = LifecycleStageFilter
    ordering_fields = ["set_at"]
    ordering = ["-set_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET, "record": "assessments.manage_assessments"}

    def get_queryset(self):
        return LifecycleStage.objects.filter(
            alliance__in=Alliance.objects.visible_to(self.request.user).values("pk")).select_related(
            "alliance").prefetch_related("health_scores")

    @extend_schema(request=SetStageSerializer, responses={200: LifecycleStageSerializer}, filters=False)
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def record(self, request):
        """Record the alliance's stage as the bureau sees it, with the six health dimensions rated (bureau only)."""
        data = SetStageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alliance = data.validated_data["alliance"]
        if not Alliance.objects.visible_to(request.user).filter(pk=alliance.pk).exists():
            raise serializers.ValidationError({"alliance": [_("No such alliance.")]})
        services.set_lifecycle_stage(alliance, by=request.user, stage=data.validated_data["stage"],
                                     health=data.validated_data["health"], reason=data.validated_data["reason"])
        current = (LifecycleStage.objects.filter(alliance=alliance).select_related("alliance")
                   .prefetch_related("health_scores").first())
        return Response(LifecycleStageSerializer(current).data)


ROUTES = [
    ("assessments", AssessmentViewSet, "assessment"),
    ("lifecycle-stages", LifecycleStageViewSet, "lifecycle-stage"),
]
