"""Staff URLs of exports, mounted at /admin/exports/ (before the admin's own URLs) by leadsite/urls.py.

The paths avoid the admin's "export/", "savedexport/" and "exportdownload/" model URLs beneath the
same prefix. Every view goes through admin_site.admin_view: active staff only, never cached.
"""

from django.contrib import admin
from django.urls import path

from exports import views

app_name = "exports"


def staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("history/", staff(views.export_history_view), name="history"),
    path("analytics/", staff(views.analytics_export_view), name="analytics"),
    path("status/", staff(views.export_status_view), name="status"),
    path("download/<str:export_id>/", staff(views.export_download_view), name="download"),
    path("rerun/<str:export_id>/", staff(views.export_rerun_view), name="rerun"),
    path("cancel/<str:export_id>/", staff(views.export_cancel_view), name="cancel"),
    path("delete/<str:export_id>/", staff(views.export_delete_view), name="delete"),
]
