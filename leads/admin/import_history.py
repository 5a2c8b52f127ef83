"""The import history in the admin: every lead import, its progress and outcome, read-only.

Records are made by the import page and the worker, never here. Importers see their own imports;
superusers see everyone's.
"""

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join

from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.importing.models import LeadImport, LeadImportStatus
from leads.importing.records import lead_import_allowed

ERRORS_SHOWN = 20


@admin.register(LeadImport)
class LeadImportAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "created_by", "file_name", "status_display", "rows", "outcome"]
    list_filter = ["status", "source"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "created_by",
        "source",
        "file_name",
        "format",
        "size",
        "status_display",
        "rows",
        "outcome",
        "started_at",
        "finished_at",
        "error_list",
    ]
    readonly_fields = fields

    def _allowed(self, request) -> bool:
        return lead_import_allowed(user=request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("created_by")
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj: LeadImport):
        label = obj.get_status_display()
        if obj.status == LeadImportStatus.RUNNING:
            done = "writing" if obj.progress >= 50 else f"{intcomma(obj.rows_checked)} rows checked"
            return format_html('<span class="import-status" data-status="{}">{} ({})</span>', obj.status, label, done)
        if obj.error_message:
            return format_html('{}<div class="help">{}</div>', label, obj.error_message)
        return label

    @admin.display(description="Rows")
    def rows(self, obj: LeadImport):
        return intcomma(obj.rows_total if obj.rows_total is not None else obj.rows_checked)

    @admin.display(description="Outcome")
    def outcome(self, obj: LeadImport):
        if obj.status in (LeadImportStatus.PENDING, LeadImportStatus.RUNNING, LeadImportStatus.CANCELLED):
            return "—"
        if obj.rejected_count:
            return f"{intcomma(obj.rejected_count)} rows with errors, nothing saved"
        verb = "saved" if obj.status == LeadImportStatus.COMPLETED else "would be"
        return f"{obj.new_count} new, {obj.updated_count} updated, {obj.unchanged_count} unchanged ({verb})"

    @admin.display(description="Size")
    def size(self, obj: LeadImport):
        return filesizeformat(obj.file_size)

    @admin.display(description="Row errors")
    def error_list(self, obj: LeadImport):
        errors = obj.errors[:ERRORS_SHOWN]
        if not errors:
            return "—"
        items = format_html_join(
            "", "<li>row {}: {}</li>", ((error.get("row") or "—", "; ".join(error["messages"])) for error in errors)
        )
        more = len(obj.errors) - len(errors)
        return format_html('<ul class="errorlist">{}</ul>{}', items, f"and {more} more" if more > 0 else "")
