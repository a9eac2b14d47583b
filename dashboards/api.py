"""REST API of the bureau dashboard: ``/api/v1/dashboard/…``, aggregates computed in the database.

Every number comes with ``list`` (the API list it counts, with the same filters) and ``page`` (the
dashboard's page of that list). All endpoints accept the same filters: sector, district, year.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances.models import District, Sector

from .datasets import DATASETS
from .selectors import Board, DashboardFilters

VIEW_DASHBOARD = "dashboards.view_dashboard"


def list_url(dataset: str, params: dict) -> str:
    return f"/api/v1/{DATASETS[dataset].api_path}/" + (f"?{urlencode(params)}" if params else "")


def page_url(dataset: str, params: dict) -> str:
    url = reverse("dashboards:rows", args=[dataset])
    return url + (f"?{urlencode(params)}" if params else "")


# --- Filters ------------------------------------------------------------------------------------


class DashboardFilterSerializer(serializers.Serializer):
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), required=False,
                                                help_text=_("Industry sector id."))
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False,
                                                  help_text=_("District id."))
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text=_("Year."))

    def to_filters(self) -> DashboardFilters:
        return DashboardFilters(**self.validated_data)


def filters_from(request) -> DashboardFilters:
    data = DashboardFilterSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.to_filters()


# --- Output -------------------------------------------------------------------------------------


class FigureSerializer(serializers.Serializer):
    """A count, with the list it counts."""

    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    list = serializers.SerializerMethodField(help_text=_("The API list this number counts."))
    page = serializers.SerializerMethodField(help_text=_("The dashboard page of that list."))

    @extend_schema_field(serializers.CharField())
    def get_list(self, figure) -> str:
        return list_url(figure.dataset, figure.params)

    @extend_schema_field(serializers.CharField())
    def get_page(self, figure) -> str:
        return page_url(figure.dataset, figure.params)


class MoneyFigureSerializer(FigureSerializer):
    """An amount in 万元 (10k CNY), as a decimal string, with the list it sums."""

    value = serializers.DecimalField(max_digits=20, decimal_places=4)


PERCENT = {"max_digits": 6, "decimal_places": 1, "allow_null": True}


class AlliancesSummarySerializer(serializers.Serializer):
    total = FigureSerializer()
    by_state = FigureSerializer(many=True)
    by_designation_level = FigureSerializer(many=True)
    by_sector = FigureSerializer(many=True)
    by_lifecycle_stage = FigureSerializer(many=True)


class MemberUnitsSummarySerializer(serializers.Serializer):
    total = FigureSerializer()
    by_kind = FigureSerializer(many=True)
    enterprises = FigureSerializer()
    technical_support_units = FigureSerializer()


class ProjectsSummarySerializer(serializers.Serializer):
    total = FigureSerializer()
    by_kind = FigureSerializer(many=True)
    by_state = FigureSerializer(many=True)
    approved = FigureSerializer()
    started = FigureSerializer()
    start_rate = serializers.DecimalField(help_text=_("Started / approved projects, per cent."), **PERCENT)
    total_investment = MoneyFigureSerializer()
    completed_investment = MoneyFigureSerializer()
    investment_ratio = serializers.DecimalField(help_text=_("Completed / total investment, per cent."), **PERCENT)
    outputs = FigureSerializer(many=True)


class ActivitiesSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = FigureSerializer()
    high_level = FigureSerializer()


class AppliedFiltersSerializer(serializers.Serializer):
    sector = serializers.IntegerField(required=False)
    district = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False)


class SummarySerializer(serializers.Serializer):
    filters = AppliedFiltersSerializer()
    alliances = AlliancesSummarySerializer()
    member_units = MemberUnitsSummarySerializer()
    projects = ProjectsSummarySerializer()
    activities = ActivitiesSummarySerializer()


class SeriesPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    designations = FigureSerializer()
    projects_approved = FigureSerializer()
    investment_completed = MoneyFigureSerializer()


class TimeSeriesSerializer(serializers.Serializer):
    by_year = SeriesPointSerializer(many=True)
    by_quarter = SeriesPointSerializer(many=True)


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.IntegerField()
    label = serializers.CharField()
    alliances = FigureSerializer()
    designated = FigureSerializer()
    member_units = FigureSerializer()
    projects = FigureSerializer()
    total_investment = MoneyFigureSerializer()
    completed_investment = MoneyFigureSerializer()


class WatchRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class WatchEntrySerializer(serializers.Serializer):
    count = FigureSerializer()
    rows = WatchRowSerializer(many=True, help_text=_("The first ten, as in the list."))


class WatchListSerializer(serializers.Serializer):
    overdue_assessments = WatchEntrySerializer()
    overdue_reports = WatchEntrySerializer()
    stalled_projects = WatchEntrySerializer()
    alliances_in_decline = WatchEntrySerializer()


# --- Viewset ------------------------------------------------------------------------------------


def _dashboard(response_serializer, description):
    return extend_schema(parameters=[DashboardFilterSerializer], responses={200: response_serializer},
                         description=description, filters=False)


class DashboardViewSet(viewsets.ViewSet):
    """The bureau's dashboard (调度系统) as data, for officers and read-only dashboard tokens."""

    permission_map = dict.fromkeys(("summary", "time_series", "sectors", "districts", "watch_list"),
                                   VIEW_DASHBOARD)

    def _board(self, request) -> Board:
        return Board(request.user, filters_from(request))

    @_dashboard(SummarySerializer, "Alliances by state, designation level, sector and life-cycle stage; member "
                "units by kind; projects by kind and state; investment; start rate; outputs; activities.")
    @action(detail=False)
    def summary(self, request):
        return Response(SummarySerializer(self._board(request).summary()).data)

    @_dashboard(TimeSeriesSerializer, "Designations, projects approved and investment completed by year and quarter.")
    @action(detail=False, url_path="time-series")
    def time_series(self, request):
        return Response(TimeSeriesSerializer(self._board(request).time_series()).data)

    @_dashboard(BreakdownRowSerializer(many=True), "Per industry sector: alliances, designated alliances, member "
                "units, approved projects, total and completed investment.")
    @action(detail=False)
    def sectors(self, request):
        return Response(BreakdownRowSerializer(self._board(request).breakdown("sector"), many=True).data)

    @_dashboard(BreakdownRowSerializer(many=True), "The same per district (chairman unit's, member unit's and "
                "lead unit's district).")
    @action(detail=False)
    def districts(self, request):
        return Response(BreakdownRowSerializer(self._board(request).breakdown("district"), many=True).data)

    @_dashboard(WatchListSerializer, "Overdue self-assessments, projects with an overdue report, stalled projects, "
                "alliances in decline: counts and the first rows.")
    @action(detail=False, url_path="watch-list")
    def watch_list(self, request):
        return Response(WatchListSerializer(self._board(request).watch_list()).data)


ROUTES = [("dashboard", DashboardViewSet, "dashboard")]
