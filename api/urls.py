from django.urls import path

from api.views import analytics, config, exports, history

app_name = "api"


def quick(format: str, data_type: str):
    """A quick-export route: GET the file of the spec in the query string, in this format and data type."""
    return exports.QuickExportView.as_view(format=format, data_type=data_type)


urlpatterns = [
    path("create", exports.ExportCreateView.as_view(), name="export-create"),
    path("download", exports.ExportDownloadNowView.as_view(), name="export-download"),
    path("leads/csv", quick("csv", "leads"), name="leads-csv"),
    path("leads/excel", quick("excel", "leads"), name="leads-excel"),
    path("analytics/json", quick("json", "analytics"), name="analytics-json"),
    path("comprehensive/zip", quick("zip", "comprehensive"), name="comprehensive-zip"),
    path("analytics/generate", analytics.GenerateAnalyticsView.as_view(), name="analytics-generate"),
    path("analytics/leads", analytics.LeadAnalyticsView.as_view(), name="analytics-leads"),
    path("analytics/performance", analytics.PerformanceAnalyticsView.as_view(), name="analytics-performance"),
    path("history", history.ExportHistoryView.as_view(), name="history"),
    path("history/cleanup", history.ExportCleanupView.as_view(), name="history-cleanup"),
    path("history/<str:export_id>", history.ExportDetailView.as_view(), name="export-detail"),
    path("history/<str:export_id>/file", history.ExportFileView.as_view(), name="export-file"),
    path("config/export-types", config.ExportTypesView.as_view(), name="config-export-types"),
    path("config/data-types", config.DataTypesView.as_view(), name="config-data-types"),
    path("config/filters", config.FiltersView.as_view(), name="config-filters"),
    path("stats/exportable-data", analytics.ExportableDataStatsView.as_view(), name="stats-exportable-data"),
]
