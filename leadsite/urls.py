from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.exceptions import api_not_found
from api.views.token_page import api_token_page
from operations.views import health_view

admin.site.site_header = "Leadsite"
admin.site.site_title = "Leadsite"
admin.site.index_title = "Leads, exports and analytics"
# The header links and the home page lead everywhere; the side menu would take a quarter of a
# 1280 px screen from the lead list's columns.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("health/", health_view, name="health"),  # for load balancers: JSON, no login
    path("admin/dashboard/", include("dashboard.urls")),  # the analytics dashboard (dashboard:index)
    path("admin/exports/", include("exports.urls")),  # export history, downloads (exports:...)
    path("admin/leads/duplicates/", include("leads.duplicates.urls")),  # duplicate groups, merges (duplicates:...)
    path("admin/api-token/", admin.site.admin_view(api_token_page), name="api-token"),
    path("admin/", admin.site.urls),
    path("outreach/", include("outreach.urls")),  # unsubscribe links (no login)
    path("anymail/", include("outreach.webhooks")),  # provider webhooks, signature-checked by anymail
    path("api/v1/export/", include("api.urls")),  # the JSON API (api:...)
    path("api/v1/", include("ingest.urls")),  # the scraper ingest API (ingest:...)
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: whatever else is asked under /api/ (a typo, a trailing slash) is a JSON 404.
    re_path(r"^api/", api_not_found),
]
