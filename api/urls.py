from django.urls import path

from api.views import analytics, config, exports, history

app_name = "api"

urlpatterns = [
    path("create", exports.ExportCreateView.as_view(), name="export-create"),
    path("download", exports.ExportDownloadNowView.as_view(), name="export-download"),
    path("leads/csv", exports.LeadsCsvView.as_view(), name="leads-csv"),
    path("leads/excel", exports.LeadsExcelView.as_view(), name="leads-excel"),
    path("analytics/json", exports.AnalyticsJsonView.as_view(), name="analytics-json"),
    path("comprehensive/zip", exports.ComprehensiveZipView.as_view(), name="comprehensive-zip"),
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
