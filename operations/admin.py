"""Schedule execution metrics in the admin: every scheduled run, filterable by job kind, outcome and lateness."""

from django.contrib import admin

from leads.admin.strict_changelist import SpecOnlyAdminMixin
from operations.models import ScheduleExecution


@admin.register(ScheduleExecution)
class ScheduleExecutionAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "job_kind",
        "job_id",
        "job_name",
        "slot",
        "started_at",
        "finished_at",
        "lateness_seconds",
        "late",
        "outcome",
    ]
    list_filter = ["outcome", "late", "job_kind"]
    search_fields = ["job_name"]
    spec_parameters = ("job_id",)  # the dashboard links to one job's runs
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
