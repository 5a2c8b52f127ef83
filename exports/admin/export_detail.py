"""The export record's page as a person reads it: columns and options as lists, progress as a bar, a named breadcrumb.

Mixed into exports.admin.ExportAdmin; the page's status and progress follow the export live with the
history's own script (static/exports/export_history.js polls exports:status).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from exports.content.columns import LEAD_COLUMNS
from exports.forms import FormatOptionsForm
from exports.models import Export, ExportStatus
from leads.filter_summary import lead_filters_items
from leads.filters import spec_to_query_string

NO_USER = "Deleted user"  # an export outlives its user (created_by is set null)
COLUMN_LABELS = {column.key: column.label for column in LEAD_COLUMNS}
OPTION_LABELS = {name: field.label for name, field in FormatOptionsForm.base_fields.items()}


def export_title(export: Export) -> str:
    """How a person names an export: "CSV export of leads, 1 Dec 2026 18:05"."""
    when = date_format(timezone.localtime(export.created_at), "DATETIME_FORMAT")
    return f"{export.get_format_display()} export of {export.get_data_type_display().lower()}, {when}"


def _list(items) -> str:
    items = list(items)
    if not items:
        return "—"
    return format_html(
        '<ul class="export-detail-list">{}</ul>', format_html_join("", "<li>{}</li>", ((i,) for i in items))
    )


class ExportDetailMixin:
    """Read-only displays of the record's page, and its title and breadcrumb."""

    change_form_template = "admin/exports/export/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        export = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if export is not None:
            name = export_title(export)
            context.update(title=name, subtitle=None, export_title=name, export_status_url=reverse("exports:status"))
        return super().change_view(request, object_id, form_url, context)

    @admin.display(description="Filters")
    def filter_spec(self, obj):
        """The stored spec as "Label: value" items, and a link to the lead list that shows those leads."""
        items = lead_filters_items(filters=obj.filters)
        query = spec_to_query_string(obj.filters or {})
        url = reverse("admin:leads_lead_changelist") + (f"?{query}" if query else "")
        return format_html(
            '{}<p class="export-detail-open"><a href="{}" class="button">Open in lead list</a></p>',
            _list(items) if items else "All leads",
            url,
        )

    @admin.display(description="Columns")
    def columns_list(self, obj):
        if not obj.columns:
            return "The default columns"
        return _list(COLUMN_LABELS.get(key, key) for key in obj.columns)

    @admin.display(description="Options")
    def options_list(self, obj):
        options = obj.options or {}
        chosen = [OPTION_LABELS.get(key, key.replace("_", " ").capitalize()) for key, on in options.items() if on]
        return _list(chosen) if chosen else "None"

    @admin.display(description="Format")
    def format_label(self, obj):
        return obj.get_format_display()

    @admin.display(description="Data")
    def data_type_label(self, obj):
        return obj.get_data_type_display()

    @admin.display(description="Contact information")
    def contact_info(self, obj):
        return "Included (e-mail, phone, contact name)" if obj.include_contact_info else "Not included"

    @admin.display(description="Progress")
    def progress_bar(self, obj):
        if obj.status in (ExportStatus.PENDING, ExportStatus.RUNNING):
            return format_html(
                '<div class="export-progress" data-export-progress="{}">'
                '<progress max="100" value="{}">{}%</progress>'
                '<span class="export-progress-text">{}%</span></div>',
                obj.pk,
                obj.progress,
                obj.progress,
                obj.progress,
            )
        return "Done" if obj.status == ExportStatus.COMPLETED else "—"

    @admin.display(description="Status")
    def status_badge(self, obj):
        return format_html(
            '<span class="export-status export-status-{}" data-export-id="{}" data-export-status="{}">{}</span>',
            obj.status,
            obj.pk,
            obj.status,
            obj.get_status_display(),
        )

    @admin.display(description="Created by", ordering="created_by__username")
    def created_by_name(self, obj):
        return obj.created_by.get_username() if obj.created_by_id else NO_USER


class CreatedByListFilter(admin.RelatedOnlyFieldListFilter):
    """The history's "By person" filter, its empty choice named as the rows name it (not "-")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "person"
        self.empty_value_display = NO_USER
