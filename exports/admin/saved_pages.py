"""The saved-exports list for people: per-row *Run now* and *Open in lead list*, readable filters and columns.

Mixed into exports.admin.saved.SavedExportAdmin. Filters and columns are changed where people
choose them: "Change filters, columns and format" opens the lead list with the saved filters and
remembers (in the session) which saved export is being edited; the lead list's Export page then
offers "Update saved export". Running goes through exports.services.scheduled.saved_export_run.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from exports.admin.saved_page import EDITING_SESSION_KEY
from exports.content.columns import LEAD_COLUMNS
from exports.errors import ExportError
from exports.models import Export, ExportStatus, SavedExport
from exports.services.saved import check_can_use_saved_export
from exports.services.scheduled import saved_export_run
from leads.filter_summary import lead_filters_summary
from leads.filters import spec_to_query_string

COLUMN_LABELS = {column.key: column.label for column in LEAD_COLUMNS}
LEAD_LIST = "admin:leads_lead_changelist"


def lead_list_url(saved: SavedExport) -> str:
    query = spec_to_query_string(saved.filters or {})
    url = reverse(LEAD_LIST)
    return f"{url}?{query}" if query else url


def when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "-"


class SavedExportPagesMixin:
    """URLs and list columns of the saved-exports admin that make it usable without query strings."""

    class Media:
        css = {"all": ["exports/exports.css"]}

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        own = [
            path("<int:pk>/run/", view(require_POST(self.run_view)), name=f"{prefix}_run"),
            path("<int:pk>/edit-filters/", view(require_GET(self.edit_filters_view)), name=f"{prefix}_edit"),
        ]
        return [*own, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        context = {"title": "Saved exports", "subtitle": None, **(extra_context or {})}
        return super().changelist_view(request, context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        title = "New saved export" if object_id is None else "Saved export"
        return super().changeform_view(request, object_id, form_url, {"title": title, **(extra_context or {})})

    def _usable(self, request, pk) -> SavedExport:
        saved = get_object_or_404(SavedExport.objects.select_related("owner"), pk=pk)
        if not self.has_view_permission(request, saved):
            raise PermissionDenied
        check_can_use_saved_export(saved_export=saved, user=request.user)
        return saved

    def run_view(self, request, pk):
        saved = self._usable(request, pk)
        if not self.has_run_permission(request):
            raise PermissionDenied
        try:
            export = saved_export_run(saved_export=saved, user=request.user)
        except (PermissionDenied, ValidationError, ExportError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, f"{saved.name}: {text}", messages.ERROR)
        else:
            self.message_user(request, *run_message(saved, export))
        return HttpResponseRedirect(reverse("admin:exports_savedexport_changelist"))

    def edit_filters_view(self, request, pk):
        saved = self._usable(request, pk)
        if not self.has_change_permission(request, saved):
            raise PermissionDenied
        request.session[EDITING_SESSION_KEY] = saved.pk
        return HttpResponseRedirect(lead_list_url(saved))

    # List and change-page columns ------------------------------------------------------------------

    @admin.display(description="Saved filters")
    def filters_summary(self, obj):
        return lead_filters_summary(filters=obj.filters) if obj and obj.pk else "-"

    @admin.display(description="In the lead list")
    def change_in_lead_list(self, obj):
        if not obj or not obj.pk:
            return format_html(
                'Or start from the <a href="{}">lead list</a>: filter it, choose Export, then “Save this export…”.',
                reverse(LEAD_LIST),
            )
        return format_html(
            '<a class="button" href="{}">Edit filters in the lead list</a>'
            '<div class="help saved-export-edit-help">Opens the lead list with the saved filters, so you see the '
            "leads; change them in its sidebar, then choose Export and “Update saved export”.</div>",
            reverse("admin:exports_savedexport_edit", args=[obj.pk]),
        )

    @admin.display(description="Format", ordering="format")
    def format_label(self, obj):
        return obj.get_format_display()

    @admin.display(description="Next run", ordering="next_run_at")
    def next_run(self, obj):
        return when(obj.next_run_at) if obj.next_run_at else "Not scheduled"

    @admin.display(description="Last result")
    def last_result(self, obj):
        if obj.last_error:
            return format_html('<span class="errornote">{}</span>', "Could not run")
        status = getattr(obj, "last_status", None)
        return ExportStatus(status).label if status else "Not run yet"

    def get_list_display(self, request):
        actions = "row_actions" if self.has_run_permission(request) else "open_in_lead_list"
        return (*super().get_list_display(request), actions)

    @admin.display(description="")
    def open_in_lead_list(self, obj):
        return format_html('<a class="button" href="{}">Open in lead list</a>', lead_list_url(obj))

    @admin.display(description="")
    def row_actions(self, obj):
        # A button of the changelist's own form (which carries the CSRF token), posted to the run URL.
        run = format_html(
            '<button type="submit" class="button default" formmethod="post" formaction="{}">Run now</button> ',
            reverse("admin:exports_savedexport_run", args=[obj.pk]),
        )
        return format_html('<span class="saved-export-actions">{}{}</span>', run, self.open_in_lead_list(obj))


def run_message(saved_export: SavedExport, export: Export) -> tuple[str, str]:
    if export.status == ExportStatus.COMPLETED:
        link = _url("exports:download", export.pk)
        text = f"{saved_export.name}: {export.rows_written:,} rows exported."
        return (format_html('{} <a href="{}">Download</a>', text, link) if link else text), messages.SUCCESS
    if export.status == ExportStatus.FAILED:
        return f"{saved_export.name}: the export failed: {export.error_message}", messages.ERROR
    link = _url("exports:history")
    text = f"{saved_export.name}: {export.row_count or 0:,} rows are being exported in the background."
    return (format_html('{} <a href="{}">See the export history</a>', text, link) if link else text), messages.INFO


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
