"""Lead import in the admin: upload a CSV, Excel or JSON file, see its rows previewed, then confirm or cancel.

Native admin pages (admin_site.each_context, admin templates). The upload is checked by
`leads.importing.records.lead_import_preview`, exactly as `manage.py import_leads` checks a file: a
file with any bad row shows each row's errors in the row and offers no confirm button; a clean file
shows what importing would do. Confirming a small file imports it at once; a file over
LEAD_IMPORT_QUICK_ROWS rows is queued and shows its progress in the import history. Importing takes
the "Can import leads" permission; contact fields are shown only to users who may see contact data.
"""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from leads.importing import conf
from leads.importing.errors import LeadImportFileError, printable
from leads.importing.fields import CONTACT_FIELDS, IDENTITY_FIELDS, LEAD_FILE_FIELDS, LEAD_FILE_LABELS, NEW_LEAD_FIELDS
from leads.importing.files import lead_import_size_check
from leads.importing.models import LeadImportStatus
from leads.importing.readers import FORMATS
from leads.importing.records import (
    LeadImportPreview,
    lead_import_allowed,
    lead_import_cancel,
    lead_import_confirm,
    lead_import_preview,
)
from operations.selectors import NO_WORKER_IMPORT_MESSAGE, export_worker_missing

logger = logging.getLogger("leads.imports")

CONTACT_PERMISSION = "exports.view_contact_info"
TEMPLATE = "admin/leads/lead/import.html"
HIDDEN = "(hidden)"


def can_see_contact_info(request) -> bool:
    """The one place the import pages decide whether contact fields are shown."""
    return request.user.has_perm(CONTACT_PERMISSION)


class LeadImportForm(forms.Form):
    import_file = forms.FileField(label="File")
    format = forms.ChoiceField(
        choices=[("", "From the file name"), *((key, key) for key in FORMATS)],
        required=False,
        help_text="CSV (UTF-8), Excel (.xlsx) or JSON.",
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            lead_import_size_check(size=upload.size)  # before anything reads it
        except LeadImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload


class LeadImportAdminMixin:
    """Adds the import page (upload, preview, confirm/cancel) and the changelist's "Import" button."""

    def has_import_permission(self, request) -> bool:
        return lead_import_allowed(user=request.user)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        # Before the default URLs: their "<object_id>/" pattern would otherwise swallow "import/".
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{info}_import"),
            path(
                "import/process/", self.admin_site.admin_view(self.process_import_view), name=f"{info}_process_import"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._page(request, form=LeadImportForm())
        form = LeadImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form=form, status=400)
        upload = form.cleaned_data["import_file"]
        try:
            preview = lead_import_preview(user=request.user, upload=upload, format=form.cleaned_data["format"] or None)
        except LeadImportFileError as error:
            form.add_error("import_file", error.message)
            return self._page(request, form=form, status=400)
        return self._page(request, form=LeadImportForm(), preview=preview, file_name=printable(upload.name or ""))

    def process_import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        import_id = request.POST.get("import_id", "")
        try:
            if request.POST.get("action") == "cancel":
                lead_import_cancel(import_id=import_id, user=request.user)
                messages.info(request, "Import cancelled; the uploaded file was deleted.")
                return HttpResponseRedirect(self._url("changelist"))
            record = lead_import_confirm(import_id=import_id, user=request.user)
        except LeadImportFileError as error:
            form = LeadImportForm()
            return self._page(request, form=form, status=400, page_error=error.message)
        if record.status in (LeadImportStatus.PENDING, LeadImportStatus.RUNNING):
            messages.info(
                request,
                f"The import of {record.file_name} runs in the background, all or nothing; "
                "its progress shows in the import history.",
            )
            if record.status == LeadImportStatus.PENDING and export_worker_missing():
                # The same worker runs exports and imports; the history says it in the same words.
                messages.warning(request, NO_WORKER_IMPORT_MESSAGE)
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:leads_leadimport_changelist"))
        if record.status == LeadImportStatus.COMPLETED:
            messages.success(
                request,
                f"Import finished: {record.new_count} new, {record.updated_count} updated, "
                f"{record.unchanged_count} unchanged leads.",
            )
            return HttpResponseRedirect(self._url("changelist"))
        # The rows changed between the preview and the confirm: all was rolled back.
        messages.error(
            request,
            f"Nothing was imported: {record.error_message or 'the import failed'} "
            "The leads may have changed since the preview; upload the file again to see the errors.",
        )
        return HttpResponseRedirect(self._url("import"))

    # Pages ---------------------------------------------------------------------------------------

    def _url(self, name: str) -> str:
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}")

    def _page(self, request, *, form, preview: LeadImportPreview | None = None, status=200, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import leads",
            "form": form,
            "changelist_url": self._url("changelist"),
            "history_url": reverse(f"{self.admin_site.name}:leads_leadimport_changelist"),
            "process_url": self._url("process_import"),
            "fields": LEAD_FILE_FIELDS,
            "identity_fields": IDENTITY_FIELDS,
            "new_lead_fields": NEW_LEAD_FIELDS,
            "quick_rows": conf.quick_rows(),
            "max_rows": conf.max_rows(),
            "max_megabytes": conf.max_bytes() // 1_000_000,
            "preview": preview,
            **extra,
        }
        if preview is not None:
            context |= _preview_table(preview, show_contact=can_see_contact_info(request))
        return TemplateResponse(request, TEMPLATE, context, status=status)


def _preview_table(preview: LeadImportPreview, *, show_contact: bool) -> dict:
    present = {name for row in preview.rows for name in row.cells}
    columns = [name for name in LEAD_FILE_FIELDS if name in present]
    rows = []
    for row in preview.rows:
        cells = []
        for name in columns:
            errors = row.errors.get(name, [])
            if name in CONTACT_FIELDS and not show_contact:
                value = HIDDEN if row.cells.get(name) not in (None, "") else ""
            else:
                value = _shown(row.cells.get(name))
            cells.append({"name": name, "value": value, "errors": errors})
        others = [
            f"{name}: {message}" if name else message
            for name, texts in row.errors.items()
            if name not in columns
            for message in texts
        ]
        rows.append({"number": row.number, "outcome": row.outcome, "cells": cells, "messages": others})
    labelled = [{"name": name, "label": LEAD_FILE_LABELS[name]} for name in columns]
    return {"columns": labelled, "rows": rows, "contact_hidden": not show_contact and bool(present & CONTACT_FIELDS)}


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a JSON export's nested location or category
        value = value.get("site_code") or value.get("code") or value.get("name") or ""
    text = printable(str(value))
    return text if len(text) <= 200 else f"{text[:200]}…"
