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
from leads.filters import filters_from_query

ANALYTICS_RESPONSE = {
    200: OpenApiResponse(OpenApiTypes.OBJECT, description="Analytics figures."),
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid filters: each bad field with its messages."),
}


def query_filters(request) -> dict:
    """The spec's parameters from the query string (read as every other entry point reads them)."""
    return filters_from_query(request.query_params, user=request.user)


class AnalyticsView(APIView):
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permissions = ("leads.view_lead",)


class LeadAnalyticsView(AnalyticsView):
    @extend_schema(parameters=lead_filter_parameters(), responses=ANALYTICS_RESPONSE, summary="Lead analytics")
    def get(self, request):
        return Response(lead_analytics(filters=query_filters(request)))


class PerformanceAnalyticsView(AnalyticsView):
    @extend_schema(
        parameters=lead_filter_parameters(), responses=ANALYTICS_RESPONSE, summary="Scraping performance analytics"
    )
    def get(self, request):
        return Response(scraping_analytics(filters=query_filters(request)))


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
