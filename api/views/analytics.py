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


PERFORMANCE_DESCRIPTION = """Scrape-run figures (runs, date_range, duration, leads, by_location, over_time,
latest_failures), plus the sections the apps above leads register, for the spec's `date_from`/`date_to`
(default: the last 30 days):

- `rules`: period {start, end}, runs, failed_runs, leads_matched, leads_acted, actions_done, skipped,
  errors, by_rule [{id, name, trigger, is_active, runs, leads_matched, leads_acted, actions_done,
  skipped, errors, last_run}];
- `schedules`: period, runs, late, failed, late_share, failure_rate, jobs [{job, kind, id, name, runs,
  late, failed, average_lateness_seconds, max_lateness_seconds, average_duration_seconds,
  last_started_at, last_outcome}], recent_problems [{job, name, slot, started_at, lateness_seconds,
  outcome, error}];
- `auto_responses` (messages to the leads the spec selects): total, sent, delivered, replied, converted,
  queued, sending, failed, bounced, opted_out, reply_rate, conversion_rate, bounce_rate, opt_out_rate,
  by_status [{status, label, count}], by_template [{template_id, template, variant_id, variant, sent,
  delivered, replied, converted, reply_rate, conversion_rate}], over_time {granularity, buckets};
- `ab_tests` (every test, whole): running, with_winner, tests [{id, name, template, status, state
  (running | not_enough_data | winner), winner (variant name or null), p_value, min_sample, sends_needed,
  message, started_at, ended_at, variants [{variant_id, variant, weight, sent, delivered, replied,
  converted, reply_rate, reply_rate_ci [low, high], conversion_rate, conversion_rate_ci}]}].
Rates are 0-1 fractions (4 places, null without sends); intervals are 95 % Wilson.
"""


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
        parameters=lead_filter_parameters(),
        responses=ANALYTICS_RESPONSE,
        summary="Scraping performance analytics",
        description=PERFORMANCE_DESCRIPTION,
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
