"""The analytics dashboard: an admin page (wrapped in admin_site.admin_view by the URLconf)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from dashboard.context import dashboard_context

VIEW_PERMISSION = "leads.view_lead"


def dashboard_view(request):
    """Lead, scraping and export figures for the filters in the query string.

    Active staff only (admin_view); the figures describe leads, so it also
    needs leads.view_lead. Invalid filters re-show the bar with their errors.
    """
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        **dashboard_context(filters=request.GET, user=request.user),
    }
    return TemplateResponse(request, "dashboard/index.html", context)
