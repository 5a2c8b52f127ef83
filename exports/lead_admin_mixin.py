"""Exports from the lead changelist: "Export selected as ..." actions, an "Export" button, and the page both open.

The selected rows become the spec `{"ids": [...]}`; "select all N" and the button carry the changelist's
own filter parameters (the search box's `q` included) in the export page's query string, so the file
holds exactly the leads the list shows. The spec is validated and applied only by the lead FilterSet,
inside lead_filters_normalize and the export service.
"""

import logging

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse

from exports import conf
from exports.errors import ExportLimitExceeded, ExportValidationError
from exports.forms import LeadExportForm
from exports.models import ExportFormat, ExportSource
from exports.rows import preview_rows
from exports.services import export_start
from exports.views import export_started_response
from leads.filter_summary import lead_filters_summary
from leads.filters import FILTER_PARAMETERS, LeadFilterSet
from leads.selectors import LeadFilterError, lead_filters_normalize, lead_list

logger = logging.getLogger("exports.admin")

EXPORT_LEADS = "exports.export_leads"
EXPORT_ACTIONS = ("export_selected_csv", "export_selected_excel", "export_selected_json", "export_selected_zip")
PREVIEW_ROWS = 10


def spec_parameters(query: QueryDict) -> QueryDict:
    """The filter-spec parameters of a changelist query string, in the spec's order.

    Admin-only parameters (ordering `o`, page `p`, error flag `e`, `_changelist_filters`, popups)
    are dropped; what the spec means is left to the FilterSet.
    """
    params = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            params.setlist(name, values)
    return params


class LeadExportAdminMixin:
    """Adds the export actions, the changelist's "Export" button and the export page to a lead ModelAdmin."""

    export_template = "admin/exports/lead_export.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Appended rather than declared, so the admin class keeps any actions of its own.
        own = list(self.actions or [])
        self.actions = [*own, *(name for name in EXPORT_ACTIONS if name not in own)]

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(EXPORT_LEADS)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        # Before the default URLs: their "<object_id>/" pattern would otherwise swallow "export/".
        return [path("export/", self.admin_site.admin_view(self.export_view), name=name), *super().get_urls()]

    def export_page_url(self, params: QueryDict, *, format: str | None = None) -> str:
        query = params.copy()
        if format:
            query["format"] = format
        url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_export")
        encoded = query.urlencode()
        return f"{url}?{encoded}" if encoded else url

    def changelist_view(self, request, extra_context=None):
        if self.has_export_permission(request):
            extra_context = {
                **(extra_context or {}),
                "export_all_url": self.export_page_url(spec_parameters(request.GET)),
            }
        return super().changelist_view(request, extra_context)

    # Actions ---------------------------------------------------------------------------------------

    def _export_selected(self, request, queryset, export_format: str) -> HttpResponse:
        if request.POST.get("select_across") == "1":
            # "Select all N": the whole filtered list, which is what the changelist's query string selects.
            params = spec_parameters(request.GET)
        else:
            params = QueryDict(mutable=True)
            params["ids"] = ",".join(str(pk) for pk in sorted(queryset.values_list("pk", flat=True)))
        return HttpResponseRedirect(self.export_page_url(params, format=export_format))

    @admin.action(description="Export selected leads as CSV", permissions=["export"])
    def export_selected_csv(self, request, queryset):
        return self._export_selected(request, queryset, ExportFormat.CSV)

    @admin.action(description="Export selected leads as Excel", permissions=["export"])
    def export_selected_excel(self, request, queryset):
        return self._export_selected(request, queryset, ExportFormat.EXCEL)

    @admin.action(description="Export selected leads as JSON", permissions=["export"])
    def export_selected_json(self, request, queryset):
        return self._export_selected(request, queryset, ExportFormat.JSON)

    @admin.action(description="Export selected leads as ZIP (CSV, Excel and analytics)", permissions=["export"])
    def export_selected_zip(self, request, queryset):
        return self._export_selected(request, queryset, ExportFormat.ZIP)

    # The export page -------------------------------------------------------------------------------

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Count, preview and options for the spec in the query string; POST starts the export."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        params = spec_parameters(request.GET)
        try:
            spec = lead_filters_normalize(filters=params)
        except LeadFilterError as error:
            labels = {name: spec_filter.label for name, spec_filter in LeadFilterSet.base_filters.items()}
            errors = {labels.get(field) or field: texts for field, texts in error.message_dict.items()}
            context = {"filter_errors": errors}
            return self._render_export_page(request, params=params, context=context, status=400)

        initial = {}
        if request.GET.get("format") in ExportFormat.values:
            initial["format"] = request.GET["format"]
        form = LeadExportForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                export = export_start(
                    user=request.user, filters=spec, source=ExportSource.ADMIN, **form.export_arguments()
                )
            except ExportLimitExceeded as error:
                form.add_error(None, str(error))
            except ExportValidationError as error:
                self._add_service_errors(form, error)
            else:
                return self._export_started(request, export)

        count = lead_list(filters=spec).count()
        keys = [column.key for column in form.available_columns]
        rows = preview_rows(filters=spec, columns=form.available_columns, limit=PREVIEW_ROWS)
        context = {
            "form": form,
            "spec": spec,
            "count": count,
            "summary": lead_filters_summary(filters=spec),
            "preview_columns": form.available_columns,
            # Every column the user may export; the page's script shows the ticked ones in the chosen order.
            "preview_rows": [list(zip(keys, row, strict=True)) for row in rows],
            "max_records": conf.max_records(),
            "quick_limit": conf.quick_export_limit(),
            "over_limit": count > conf.max_records(),
            "runs_in_background": count > conf.quick_export_limit(),
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

    def _render_export_page(self, request, *, params: QueryDict, context: dict, status: int = 200):
        changelist_url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
        # Back to the list the export came from; a selection of rows goes back to the whole list.
        encoded = "" if "ids" in params else params.urlencode()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Export leads",
            "changelist_url": f"{changelist_url}?{encoded}" if encoded else changelist_url,
            "media": context["form"].media if "form" in context else "",
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.export_template, context, status=status)
