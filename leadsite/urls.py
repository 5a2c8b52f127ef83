from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Leadsite"
admin.site.site_title = "Leadsite"
admin.site.index_title = "Leads, exports and analytics"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/dashboard/", include("leads.dashboard.urls")),  # the analytics dashboard (leads:dashboard)
    path("admin/exports/", include("exports.urls")),  # export history, downloads (exports:...)
    path("admin/", admin.site.urls),
]
