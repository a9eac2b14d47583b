"""REST API of projects: filings with their monitoring flags, progress reports, change requests, activities.

Lists start from ``Project.objects.visible_to(user)`` (the bureau sees filed projects, a member unit its
alliances' projects) and carry the same monitoring annotations as the pages (``selectors.with_monitoring``).
Actions call ``projects.services``; refusals come back as 409/403/400 with the reason.
"""

from decimal import Decimal

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance_portal.core.filters import IdFilter, YearFilter
from alliance_portal.core.pagination import PageFirstMixin
from alliance_portal.core.permissions import QUERYSET, SERVICE_CHECKS
from alliance_portal.core.rest import ChoiceLabel
from alliances.models import Alliance, District, Sector

from . import services, tally, workflow
from .filters import ProjectFilter
from .models import OUTPUTS, Activity, ChangeRequest, ProgressReport, Project
from .selectors import flags, project_rows, started, with_monitoring
from .workflow import ProjectState

MONEY = {"max_digits": 16, "decimal_places": 4}


def visible_projects(user):
    return Project.objects.visible_to(user)


# --- Serializers --------------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    sector_name = serializers.CharField(source="sector.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    kind_label = ChoiceLabel("kind")
    state_label = ChoiceLabel("state")
    completed_investment = serializers.DecimalField(source="latest_report.completed_investment", max_digits=18,
                                                    decimal_places=4, default=None, allow_null=True,
                                                    read_only=True)
    started = serializers.BooleanField(source="latest_report.started", default=False, read_only=True)
    project_year = serializers.IntegerField(read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    is_stalled = serializers.BooleanField(read_only=True)
    is_over_budget = serializers.BooleanField(read_only=True)
    milestones_total = serializers.IntegerField(read_only=True)
    milestones_reached = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "title", "kind", "kind_label", "alliance", "alliance_name", "sector", "sector_name", "lead_unit",
            "lead_unit_name", "state", "state_label", "approval_number", "start_date", "end_date",
            "total_investment", "government_funding_requested", "granted_funding", "completed_investment",
            "started", "submitted_at", "approved_at", "next_report_due", "project_year", "is_late", "is_stalled",
            "is_over_budget", "milestones_total", "milestones_reached",
            *(f"planned_{name}" for name, _label in OUTPUTS),
        ]


class ProjectTransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(workflow.ACTIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    granted_funding = serializers.DecimalField(required=False, min_value=Decimal("0"), help_text=_(
        "For approve: the government funding granted (10k CNY)."), **MONEY)

    def validate(self, attrs):
        if attrs["action"] == "approve" and attrs.get("granted_funding") is None:
            raise serializers.ValidationError({"granted_funding": _("Give the granted funding to approve.")})
        return attrs


class ProjectTransitionResultSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ProjectState.choices)
    approval_number = serializers.CharField(allow_null=True)


class ProgressReportSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    completed_investment = serializers.DecimalField(max_digits=18, decimal_places=4, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id", "project", "project_title", "period_start", "period_end", "due_date", "started",
            "completed_self_raised", "completed_bank_loans", "completed_government", "completed_other",
            "completed_investment", "investment_increase", "government_funds_used",
            *(name for name, _label in OUTPUTS), "problems", "help_needed", "decrease_explanation", "is_late",
            "submitted_at",
        ]


class ProgressReportRequestSerializer(serializers.Serializer):
    period_start = serializers.DateField(help_text=_("First day of the period reported (the next one due)."))
    started = serializers.BooleanField(default=False)
    completed_self_raised = serializers.DecimalField(min_value=Decimal("0"), default=Decimal("0"), **MONEY)
    completed_bank_loans = serializers.DecimalField(min_value=Decimal("0"), default=Decimal("0"), **MONEY)
    completed_government = serializers.DecimalField(min_value=Decimal("0"), default=Decimal("0"), **MONEY)
    completed_other = serializers.DecimalField(min_value=Decimal("0"), default=Decimal("0"), **MONEY)
    government_funds_used = serializers.DecimalField(min_value=Decimal("0"), default=Decimal("0"), **MONEY)
    patents_applied = serializers.IntegerField(min_value=0, default=0)
    patents_granted = serializers.IntegerField(min_value=0, default=0)
    standards = serializers.IntegerField(min_value=0, default=0)
    new_products = serializers.IntegerField(min_value=0, default=0)
    technical_secrets = serializers.IntegerField(min_value=0, default=0)
    problems = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)
    help_needed = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)
    decrease_explanation = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)
    milestones_reached = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                               default=list)


class ChangeRequestSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    kind_label = ChoiceLabel("kind")
    status_label = ChoiceLabel("status")

    class Meta:
        model = ChangeRequest
        fields = ["id", "project", "project_title", "kind", "kind_label", "justification", "proposed", "previous",
                  "status", "status_label", "requested_at", "decided_at", "decision_comment"]


class ChangeRequestInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeRequest.Kind.choices)
    justification = serializers.CharField(max_length=8000)
    proposed = serializers.DictField(help_text=_("The proposed values, as on the change-request page."))


class ChangeDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ActivitySerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    kind_label = ChoiceLabel("kind")
    is_high_level = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "alliance", "alliance_name", "date", "kind", "kind_label", "is_high_level", "title",
                  "participants", "participant_count", "outcome", "recorded_at"]

    def get_is_high_level(self, activity) -> bool:
        return activity.kind in Activity.HIGH_LEVEL


# --- Filters ------------------------------------------------------------------------------------


class ProjectApiFilter(ProjectFilter):
    """The project pages' FilterSet (search ``q``, sector, kind, state, year, alliance, late …) plus the
    API's: district, stalled, over budget and date ranges. Sorting is the API's ``ordering``."""

    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(), field_name="lead_district",
                                                label=_("district of the lead unit"))
    year = YearFilter(field_name="project_year", label=_("year (of approval, else submission, else filing)"))
    stalled = django_filters.BooleanFilter(method="filter_flag", label=_("stalled only"))
    over_budget = django_filters.BooleanFilter(method="filter_flag", label=_("over budget only"))
    started = django_filters.BooleanFilter(method="filter_started", label=_("work has started"))
    state_group = django_filters.ChoiceFilter(
        choices=[("approved", "approved"), ("running", "running"), ("closed", "closed")],
        method="filter_state_group", label=_("approved (incl. running and closed), running, or closed"),
    )
    approved_after = django_filters.DateFilter(field_name="approved_at", lookup_expr="date__gte")
    approved_before = django_filters.DateFilter(field_name="approved_at", lookup_expr="date__lte")
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    filed_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta(ProjectFilter.Meta):
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        user = getattr(request, "user", None)
        super().__init__(data, queryset, request=request, prefix=prefix,
                         user=user if user is not None else _NoUser())

    def filter_flag(self, queryset, name, value):
        """The flag's own condition, which the database can plan with its indexes (not the CASE it shows)."""
        if value is None:
            return queryset
        condition = flags()[name]
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_started(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(started()) if value else queryset.exclude(started())

    def filter_state_group(self, queryset, name, value):
        return queryset.filter(state__in=workflow.STATE_GROUPS[value]) if value else queryset


# The API sorts with ``ordering``; the page's ``o`` would be a second, different way.
del ProjectApiFilter.base_filters["o"]


class _NoUser:
    """Schema generation builds the FilterSet without a request: no alliance is offered then."""

    is_authenticated = False


class ProgressReportFilter(django_filters.FilterSet):
    alliance = IdFilter(field_name="project__alliance")
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="project__sector")
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(),
                                                field_name="project__lead_district")
    late = django_filters.BooleanFilter(field_name="is_late")
    year = YearFilter(field_name="period_end", lookup_expr="year",
                                       label=_("year in which the period ends"))
    period_after = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_before = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = ProgressReport
        fields = ["project", "started"]


class ChangeRequestFilter(django_filters.FilterSet):
    alliance = IdFilter(field_name="project__alliance")
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="project__sector")
    requested_after = django_filters.DateFilter(field_name="requested_at", lookup_expr="date__gte")
    requested_before = django_filters.DateFilter(field_name="requested_at", lookup_expr="date__lte")

    class Meta:
        model = ChangeRequest
        fields = ["project", "kind", "status"]


class ActivityFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="alliance__sector")
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(),
                                                field_name="alliance__chairman__district",
                                                label=_("district of the alliance's chairman unit"))
    year = YearFilter(field_name="date", lookup_expr="year")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    high_level = django_filters.BooleanFilter(method="filter_high_level",
                                              label=_("major technology exchange or business-model event"))

    class Meta:
        model = Activity
        fields = ["alliance", "kind"]

    def filter_high_level(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(kind__in=Activity.HIGH_LEVEL) if value else queryset.exclude(kind__in=Activity.HIGH_LEVEL)


# --- Viewsets -----------------------------------------------------------------------------------


class ProjectViewSet(PageFirstMixin, viewsets.ReadOnlyModelViewSet):
    """Alliance innovation projects (联盟创新项目) with monitoring flags: late, stalled, over budget."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectApiFilter
    ordering_fields = ["created_at", "approved_at", "start_date", "end_date", "total_investment", "title",
                       "next_report_due"]
    ordering = ["-created_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": "projects.view_project", "transition": SERVICE_CHECKS,
                      "report": SERVICE_CHECKS, "request_change": SERVICE_CHECKS}

    def rows(self):
        return project_rows(self.request.user)

    def shown(self, queryset):
        return with_monitoring(queryset)

    def known_count(self):
        return tally.list_count(self.request.user, self.applied_filterset.form.cleaned_data)

    @extend_schema(request=ProjectTransitionRequestSerializer, responses={200: ProjectTransitionResultSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Submit, approve (立项, with the granted funding), return, reject, start, request or decide acceptance,
        terminate: the same services as the project pages."""
        project = self.get_object()
        data = ProjectTransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name, comment = data.validated_data["action"], data.validated_data["comment"]
        if name in ("submit", "resubmit"):
            services.submit_project(project, by=request.user, comment=comment)
        elif name == "approve":
            services.approve_project(project, by=request.user, granted_funding=data.validated_data["granted_funding"],
                                     comment=comment)
        elif name in ("start", "request_acceptance"):
            services.transition_project(project, action=name, by=request.user, comment=comment)
        else:
            services.decide_project(project, action=name, by=request.user, comment=comment)
        project.refresh_from_db(fields=["state", "approval_number"])
        return Response(ProjectTransitionResultSerializer(project).data)

    @extend_schema(request=ProgressReportRequestSerializer, responses={201: ProgressReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """File the progress report (进展报告) of the next period: cumulative figures to date."""
        project = self.get_object()
        data = ProgressReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        period_start = values.pop("period_start")
        milestones = values.pop("milestones_reached")
        report = services.submit_progress_report(project, by=request.user, period_start=period_start,
                                                 values=values, milestones_reached=milestones)
        report.refresh_from_db()
        return Response(ProgressReportSerializer(report).data, status=201)

    @extend_schema(request=ChangeRequestInputSerializer, responses={201: ChangeRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request-change")
    def request_change(self, request, pk=None):
        """Ask the bureau to change a running project (extension, budget, participants, objectives)."""
        project = self.get_object()
        data = ChangeRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.request_change(project, by=request.user, **data.validated_data)
        return Response(ChangeRequestSerializer(change).data, status=201)


class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Progress reports (进展报告) of the projects you can see; late ones flagged."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    ordering_fields = ["submitted_at", "period_end", "due_date"]
    ordering = ["-submitted_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        return ProgressReport.objects.filter(
            project__in=visible_projects(self.request.user).values("pk")).select_related("project")


class ChangeRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Change requests (变更申请) of the projects you can see; the bureau decides them."""

    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    ordering_fields = ["requested_at", "decided_at"]
    ordering = ["-requested_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET, "decide": SERVICE_CHECKS}

    def get_queryset(self):
        return ChangeRequest.objects.filter(
            project__in=visible_projects(self.request.user).values("pk")).select_related("project")

    @extend_schema(request=ChangeDecisionSerializer, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve (and apply) or refuse a pending change request."""
        change = self.get_object()
        data = ChangeDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide_change(change, by=request.user, **data.validated_data)
        return Response(ChangeRequestSerializer(self.get_queryset().get(pk=change.pk)).data)


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Alliance activities (活动): technology exchanges, business-model events, internal exchanges."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    search_fields = ["title", "participants", "outcome"]
    ordering_fields = ["date", "recorded_at"]
    ordering = ["-date", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        return Activity.objects.filter(
            alliance__in=Alliance.objects.visible_to(self.request.user).values("pk")).select_related("alliance")


ROUTES = [
    ("projects", ProjectViewSet, "project"),
    ("progress-reports", ProgressReportViewSet, "progress-report"),
    ("change-requests", ChangeRequestViewSet, "change-request"),
    ("activities", ActivityViewSet, "activity"),
]
