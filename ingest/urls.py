from django.urls import path

from ingest import views

app_name = "ingest"

urlpatterns = [
    path("scrape-runs", views.ScrapeRunOpenView.as_view(), name="scrape-run-open"),
    path("scrape-runs/<int:run_id>/finish", views.ScrapeRunFinishView.as_view(), name="scrape-run-finish"),
    path("leads/ingest", views.LeadIngestView.as_view(), name="leads-ingest"),
]
