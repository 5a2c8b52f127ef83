"""Exports from the lead changelist: "Export selected as ..." actions, an "Export" button, and the page both open.

One action per registered format (exports.formats.registry), built in get_actions(). The selected rows
become the spec `{"ids": [...]}`; "select all N" and the button carry the changelist's own filter
parameters (the search box's `q` included, read by leads.filters.filters_from_query) in the export
page's query string, so the file holds exactly the leads the list shows. The spec is validated and
applied only by the lead FilterSet, inside lead_filters_normalize and the export service.
"""

import logging
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from exports import conf
from exports.admin.saved_page import (
    EDITING_SESSION_KEY,
    SAVE_BUTTON,
    UPDATE_BUTTON,
    SaveExportForm,
    handle_save,
    initial_from_saved,
    may_save,
    saved_export_being_edited,
)
from exports.content.rows import preview_table
from exports.errors import ExportLimitExceeded, ExportValidationError
from exports.formats.base import ExportFormat
from exports.formats.registry import available_formats, format_keys
from exports.forms import LeadExportForm
from exports.models import ExportSource, SavedExport
from exports.services import ExportRequest, export_start
from exports.services.access import can_export
from exports.views import export_started_response
from leads.filter_summary import lead_filters_summary
from leads.filters import filter_label, filters_from_query, spec_to_query_string
from leads.selectors import LeadFilterError, lead_filters_normalize, lead_list

logger = logging.getLogger("exports.admin.history")

EXPORT_LEADS = "exports.export_leads"
ACTION_PREFIX = "export_selected_"
PREVIEW_ROWS = 10


def export_action(export_format: ExportFormat):
    """The "Export selected leads as <format>" action: opens the export page for the rows, in that format."""

    @admin.action(description=f"Export selected leads as {export_format.label}", permissions=["export"])
    def action(modeladmin, request, queryset):
        return modeladmin.export_selected(request, queryset, export_format.key)

    action.__name__ = ACTION_PREFIX + export_format.key
    return action


def editing_saved_export(request):
    """The saved export whose filters the user is changing in the lead list (set by its "Change filters" link)."""
    pk = request.session.get(EDITING_SESSION_KEY)
    if pk is None:
        return None
    saved = SavedExport.objects.filter(pk=pk).first()
    if saved is None or not (saved.owner_id == request.user.pk or request.user.has_perm("exports.view_all_exports")):
        request.session.pop(EDITING_SESSION_KEY, None)
        return None
    return saved


class LeadExportAdminMixin:
    """Adds the export actions, the changelist's "Export" button and the export page to a lead ModelAdmin."""

    export_template = "admin/exports/lead_export.html"

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        """The admin's own actions, then one export action per registered format (for users who may export).

        Built on each request from the registry, so a format added to EXPORT_FORMATS appears here too.
        """
        actions = super().get_actions(request, action_location=action_location)
        if self.actions is None or IS_POPUP_VAR in request.GET or not self.has_export_permission(request):
            return actions
        for export_format in available_formats():
            action = self.get_action(export_action(export_format), action_location)
            if action is not None:
                actions.setdefault(action.name, action)
        return actions

    def has_export_permission(self, request: HttpRequest) -> bool:
        return can_export(user=request.user)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        # Before the default URLs: their "<object_id>/" pattern would otherwise swallow "export/".
        return [path("export/", self.admin_site.admin_view(self.export_view), name=name), *super().get_urls()]

    def export_page_url(self, spec: dict, *, format: str | None = None) -> str:
        format_part = urlencode({"format": format}) if format else ""
        encoded = "&".join(part for part in (spec_to_query_string(spec), format_part) if part)
        url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_export")
        return f"{url}?{encoded}" if encoded else url

    def changelist_view(self, request, extra_context=None):
        if self.has_export_permission(request):
            editing = editing_saved_export(request)
            url = self.export_page_url(filters_from_query(request.GET))
            if editing is not None:
                url += ("&" if "?" in url else "?") + urlencode({"saved": editing.pk})
            extra_context = {**(extra_context or {}), "export_all_url": url, "editing_saved_export": editing}
        return super().changelist_view(request, extra_context)

    # Actions ---------------------------------------------------------------------------------------

    def export_selected(self, request, queryset, export_format: str) -> HttpResponse:
        if request.POST.get("select_across") == "1":
            # "Select all N": the whole filtered list, which is what the changelist's query string selects.
            spec = filters_from_query(request.GET)
        else:
            spec = {"ids": ",".join(str(pk) for pk in sorted(queryset.values_list("pk", flat=True)))}
        return HttpResponseRedirect(self.export_page_url(spec, format=export_format))

    # The export page -------------------------------------------------------------------------------

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Count, preview and options for the spec in the query string; POST starts the export."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        params = filters_from_query(request.GET)
        try:
            spec = lead_filters_normalize(filters=params, user=request.user)
        except LeadFilterError as error:
            errors = {filter_label(field): texts for field, texts in error.message_dict.items()}
            context = {"filter_errors": errors}
            return self._render_export_page(request, params=params, context=context, status=400)

        saved = saved_export_being_edited(request)
        initial = initial_from_saved(saved) if saved else {}
        if request.GET.get("format") in format_keys():
            initial["format"] = request.GET["format"]
        data = request.POST if request.method == "POST" else None
        form = LeadExportForm(data, user=request.user, initial=initial)
        save_form = SaveExportForm(data if data and SAVE_BUTTON in data else None)
        if data and (SAVE_BUTTON in data or UPDATE_BUTTON in data):
            if form.is_valid():
                response = handle_save(request, form=form, save_form=save_form, spec=spec, saved=saved)
                if response is not None:
                    return response
        elif request.method == "POST" and form.is_valid():
            try:
                export = export_start(
                    request=ExportRequest(
                        user=request.user, filters=spec, source=ExportSource.ADMIN, **form.export_arguments()
                    )
                )
            except ExportLimitExceeded as error:
                form.add_error(None, str(error))
            except ExportValidationError as error:
                self._add_service_errors(form, error)
            else:
                return self._export_started(request, export)

        count = lead_list(filters=spec).count()
        rows = preview_table(
            filters=spec,
            columns=form.available_columns,
            limit=PREVIEW_ROWS,
            transforms=form.preview_transforms(),
            contact_modes=form.preview_contact_modes(),
        )
        context = {
            "form": form,
            "spec": spec,
            "count": count,
            "summary": lead_filters_summary(filters=spec),
            "preview_columns": form.available_columns,
            # Every column the user may export; the page's script shows the ticked ones in the chosen order.
            "preview_rows": rows,
            "max_records": conf.max_records(),
            "quick_limit": conf.quick_export_limit(),
            "over_limit": count > conf.max_records(),
            "runs_in_background": count > conf.quick_export_limit(),
            "save_form": save_form if may_save(request.user) else None,
            "save_open": bool(save_form.is_bound),
            "saved_export": saved,
        }
        return self._render_export_page(request, params=params, context=context)

    def _export_started(self, request, export) -> HttpResponse:
        return export_started_response(request, export, what=f"{export.row_count or 0:,} leads")

    @staticmethod
    def _add_service_errors(form: LeadExportForm, error: ExportValidationError) -> None:
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message if target else f"{field}: {message}")

    def _render_export_page(self, request, *, params: dict, context: dict, status: int = 200):
        changelist_url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
        # Back to the list the export came from; a selection of rows goes back to the whole list.
        encoded = "" if "ids" in params else spec_to_query_string(params)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Update saved export “{context['saved_export'].name}”"
            if context.get("saved_export")
            else "Export leads",
            "changelist_url": f"{changelist_url}?{encoded}" if encoded else changelist_url,
            "media": context["form"].media if "form" in context else "",
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.export_template, context, status=status)
