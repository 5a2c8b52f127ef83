"""Analytics and exportable-data statistics, from the same selectors as the dashboard."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import HasModelPermission
from api.serializers import AnalyticsRequestSerializer
from api.spec_schema import lead_filter_parameters
from leads.analytics.exportable import exportable_data_stats
from leads.analytics.leads import lead_analytics
from leads.analytics.report import analytics_report
from leads.analytics.scraping import scraping_analytics
from leads.analytics.sections import analytics_sections, section_schemas
from leads.filters import filters_from_query

ANALYTICS_RESPONSE = {
    200: OpenApiResponse(OpenApiTypes.OBJECT, description="Analytics figures."),
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid filters: each bad field with its messages."),
}


def query_filters(request) -> dict:
    """The spec's parameters from the query string (read as every other entry point reads them)."""
    return filters_from_query(request.query_params)


class AnalyticsView(APIView):
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permissions = ("leads.view_lead",)


class LeadAnalyticsView(AnalyticsView):
    @extend_schema(parameters=lead_filter_parameters(), responses=ANALYTICS_RESPONSE, summary="Lead analytics")
    def get(self, request):
        return Response(lead_analytics(filters=query_filters(request)))


def performance_responses() -> dict:
    """The scraping figures (top level, as before) and one documented property per analytics section."""
    schema = {"type": "object", "properties": section_schemas(), "additionalProperties": True}
    return {**ANALYTICS_RESPONSE, 200: OpenApiResponse(schema, description=PERFORMANCE_DESCRIPTION)}


PERFORMANCE_DESCRIPTION = (
    "Scraping performance (runs, durations, leads, by_location, over_time, latest_failures at the top level), "
    "plus each section of ANALYTICS_SECTIONS under its key: auto_responses (messages, outcomes, rates by "
    "template and variant, per day) and ab_tests (every A/B test: state running | not_enough_data | winner, "
    "winner, p_value and per variant sent, replied, converted, reply_rate, reply_rate_ci [low, high], "
    "conversion_rate, conversion_rate_ci)."
)


class PerformanceAnalyticsView(AnalyticsView):
    @extend_schema(
        parameters=lead_filter_parameters(), responses=performance_responses(), summary="Performance analytics"
    )
    def get(self, request):
        # The scraping figures at the top level (as before), then each plugged-in section by key.
        report = scraping_analytics(filters=query_filters(request))
        return Response({**report, **analytics_sections(filters=report["filters"])})


class ExportableDataStatsView(AnalyticsView):
    @extend_schema(
        parameters=lead_filter_parameters(), responses=ANALYTICS_RESPONSE, summary="Exportable data statistics"
    )
    def get(self, request):
        return Response(exportable_data_stats(filters=query_filters(request)))


class GenerateAnalyticsView(AnalyticsView):
    @extend_schema(
        request=AnalyticsRequestSerializer, responses=ANALYTICS_RESPONSE, summary="Generate all analytics for a spec"
    )
    def post(self, request):
        serializer = AnalyticsRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(analytics_report(filters=serializer.validated_data["filters"]))
