"""Export records in the admin: the export history (the Export changelist) and a read-only record view.

Who sees which export is decided by exports.records.selectors.export_history (own exports, or everyone's
with exports.view_all_exports); re-run, cancel and delete go through exports.services, so the
admin holds no export logic. Records are never added or edited here.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from exports.admin.actions import run_on_each
from exports.admin.export_detail import CreatedByListFilter, ExportDetailMixin
from exports.admin.list_filters import CreatedListFilter, DataTypeListFilter, ExportSpecListFilter, FormatListFilter
from exports.models import Export, ExportStatus
from exports.records.querysets import VIEW_ALL_EXPORTS
from exports.records.selectors import ACTIVE_STATUSES, export_history
from exports.services import export_cancel, export_rerun
from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.filter_summary import lead_filters_location_names, lead_filters_summary
from operations.selectors import NO_WORKER_MESSAGE, NO_WORKER_NOTE, export_worker_missing

# Any of these lets a staff member see the history (their own exports at least).
RECENT_DOWNLOADS = 50
HISTORY_PERMISSIONS = ("exports.export_leads", VIEW_ALL_EXPORTS, "exports.view_export")


class ExportHistoryChangeList(ChangeList):
    """The history's changelist: readable filter summaries for a whole page with one location query."""

    def get_results(self, request):
        super().get_results(request)
        exports = list(self.result_list)  # evaluates (and caches) the page once
        names = lead_filters_location_names(specs=[export.filters for export in exports])
        # One heartbeat query for the page, and only when something on it is waiting.
        worker_missing = any(export.status == ExportStatus.PENDING for export in exports) and export_worker_missing()
        for export in exports:
            export.filters_summary_text = lead_filters_summary(filters=export.filters, location_names=names)
            export.worker_missing = worker_missing


@admin.register(Export)
class ExportAdmin(ExportDetailMixin, SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created", "status_display", "file_display", "rows", "filters_summary", "row_actions")
    list_display_links = ("created",)
    list_filter = (
        ExportSpecListFilter,
        "status",
        FormatListFilter,
        DataTypeListFilter,
        ("created_at", CreatedListFilter),
    )
    search_fields = ("file_name", "created_by__username", "error_message")
    list_per_page = 50
    actions = ("rerun_selected", "cancel_selected")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "id",
                    "status_badge",
                    "created_by_name",
                    "created_at",
                    "source",
                    "format_label",
                    "data_type_label",
                    "download_link",
                )
            },
        ),
        ("What was asked", {"fields": ("filter_spec", "columns_list", "contact_info", "options_list")}),
        (
            "Result",
            {
                "fields": (
                    "row_count",
                    "rows_written",
                    "progress_bar",
                    "file_name",
                    "size",
                    "checksum_sha256",
                    "error_message",
                )
            },
        ),
        ("Downloads", {"fields": ("download_count", "last_downloaded_at", "downloads")}),
        (
            "Details",
            {
                "classes": ["collapse"],
                "fields": ("started_at", "finished_at", "heartbeat_at", "saved_export", "rerun_of", "task_id"),
            },
        ),
    )
    readonly_fields = tuple(field for _, options in fieldsets for field in options["fields"])

    # Permissions: read-only records, visible to staff who export; the queryset limits whose.

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and any(user.has_perm(perm) for perm in HISTORY_PERMISSIONS)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting goes through exports.services.export_delete (file and record, never a running one).
        return False

    def get_queryset(self, request):
        return export_history(user=request.user)

    def get_list_display(self, request):
        if request.user.has_perm(VIEW_ALL_EXPORTS):
            # Whose export it is matters only on a list that holds everyone's.
            return (*self.list_display[:-1], "created_by_name", self.list_display[-1])
        return self.list_display

    def get_list_filter(self, request):
        if request.user.has_perm(VIEW_ALL_EXPORTS):
            return (*self.list_filter, ("created_by", CreatedByListFilter))
        return self.list_filter

    def get_changelist(self, request, **kwargs):
        return ExportHistoryChangeList

    def changelist_view(self, request, extra_context=None):
        everyone = request.user.has_perm(VIEW_ALL_EXPORTS)
        extra_context = {
            "title": "Export history",
            "subtitle": "Everyone's exports" if everyone else "Your exports",
            "export_status_url": reverse("exports:status"),
            **(extra_context or {}),
        }
        response = super().changelist_view(request, extra_context)
        results = getattr(response, "context_data", {}).get("cl")
        if results is not None and any(getattr(export, "worker_missing", False) for export in results.result_list):
            messages.warning(request, NO_WORKER_MESSAGE)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        export = self.get_object(request, object_id)
        if export is not None and export.status == ExportStatus.PENDING and export_worker_missing():
            messages.warning(request, NO_WORKER_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)

    # Columns ---------------------------------------------------------------------------------------

    @admin.display(description="Created", ordering="created_at")
    def created(self, obj):
        moment = timezone.localtime(obj.created_at)
        return format_html('<time datetime="{}">{}</time>', moment.isoformat(), date_format(moment, "DATETIME_FORMAT"))

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        """A badge, and under it the progress bar (running) or a short note (why it failed, downloads)."""
        badge = format_html(
            '<span class="export-status export-status-{}" data-export-id="{}" data-export-status="{}">{}</span>',
            obj.status,
            obj.pk,
            obj.status,
            obj.get_status_display(),
        )
        return format_html("{}{}", badge, self._status_detail(obj))

    @staticmethod
    def _status_detail(obj):
        if obj.status == ExportStatus.RUNNING:
            return format_html(
                '<div class="export-progress" data-export-progress="{}">'
                '<progress max="100" value="{}">{}%</progress>'
                '<span class="export-progress-text">{}</span></div>',
                obj.pk,
                obj.progress,
                obj.progress,
                _progress_text(obj),
            )
        if obj.status == ExportStatus.PENDING and getattr(obj, "worker_missing", False):
            # Short in the row (the column is narrow); the page's warning above says it in full.
            return format_html(
                '<div class="export-note export-no-worker" title="{}">{}</div>', NO_WORKER_MESSAGE, NO_WORKER_NOTE
            )
        if obj.status == ExportStatus.PENDING:
            note = "Waiting for the worker"
        elif obj.status == ExportStatus.FAILED and obj.error_message:
            return format_html('<div class="export-error">{}</div>', obj.error_message)
        elif obj.status == ExportStatus.EXPIRED:
            note = "File cleaned up"
        elif obj.status == ExportStatus.COMPLETED and obj.download_count:
            note = "Downloaded once" if obj.download_count == 1 else f"Downloaded {obj.download_count} times"
        elif obj.status == ExportStatus.COMPLETED:
            note = "Not downloaded yet"
        else:
            return ""
        return format_html('<div class="export-note">{}</div>', note)

    @admin.display(description="Rows", ordering="row_count")
    def rows(self, obj):
        if obj.status == ExportStatus.RUNNING and obj.row_count:
            written, total = intcomma(obj.rows_written), intcomma(obj.row_count)
            return format_html('<span data-export-rows="{}">{} of {}</span>', obj.pk, written, total)
        value = obj.rows_written if obj.status == ExportStatus.COMPLETED else obj.row_count
        return "—" if value is None else intcomma(value)

    @admin.display(description="File", ordering="format")
    def file_display(self, obj):
        """The format, and the size once there is a file."""
        if obj.file_size is None:
            return obj.get_format_display()
        return format_html('{}<div class="export-note">{}</div>', obj.get_format_display(), self.size(obj))

    @admin.display(description="Size", ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size is not None else "—"

    @admin.display(description="Filters")
    def filters_summary(self, obj):
        summary = getattr(obj, "filters_summary_text", None)
        return summary if summary is not None else lead_filters_summary(filters=obj.filters)

    @admin.display(description="Actions")
    def row_actions(self, obj):
        # The buttons submit the page's small CSRF-protected form (see the history template),
        # not the changelist's action form they sit in.
        def url(name):
            return reverse(f"exports:{name}", args=[obj.pk])

        buttons = []
        if obj.status == ExportStatus.COMPLETED:
            buttons.append((_LINK_BUTTON, (url("download"), "export-download", "Download")))
        if obj.status in ACTIVE_STATUSES:
            buttons.append((_POST_BUTTON, (url("cancel"), "export-secondary", "Cancel")))
        else:
            buttons.append((_POST_BUTTON, (url("rerun"), "export-secondary", "Re-run")))
        if obj.status != ExportStatus.RUNNING:
            buttons.append((_LINK_BUTTON, (url("delete"), "export-delete", "Delete")))
        # Each piece is escaped by format_html, so joining them keeps them safe.
        html = mark_safe("".join(format_html(template, *args) for template, args in buttons))
        return format_html('<div class="export-row-actions">{}</div>', html)

    @admin.display(description="Who downloaded it")
    def downloads(self, obj):
        recent = obj.downloads.select_related("user")[:RECENT_DOWNLOADS]
        if not recent:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{} · {}",
            (
                (date_format(timezone.localtime(item.downloaded_at), "DATETIME_FORMAT"), item.user or "deleted user")
                for item in recent
            ),
        )

    @admin.display(description="Download")
    def download_link(self, obj):
        if obj.status != ExportStatus.COMPLETED:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("exports:download", args=[obj.pk]), obj.file_name or "file")

    # Actions ---------------------------------------------------------------------------------------

    @admin.action(description="Re-run selected exports")
    def rerun_selected(self, request, queryset):
        run_on_each(request, queryset, export_rerun, done="Re-ran")

    @admin.action(description="Cancel selected pending or running exports")
    def cancel_selected(self, request, queryset):
        run_on_each(request, queryset.filter(status__in=ACTIVE_STATUSES), export_cancel, done="Cancelled")


_LINK_BUTTON = '<a href="{}" class="button {}" role="button">{}</a>'
_POST_BUTTON = '<button type="submit" form="export-row-action" formaction="{}" class="button {}">{}</button>'


def _progress_text(export: Export) -> str:
    return f"{export.progress}%"
