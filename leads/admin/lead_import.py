"""Lead import in the admin: upload a CSV, Excel or JSON file, see every row previewed, then confirm.

django-import-export's ImportMixin draws the pages (upload -> preview with each row's errors -> confirm);
the file is read by `leads.imports.lead_import_read` and the rows by `LeadResource`, exactly as
`manage.py import_leads` does. An import is all or nothing: a file with any bad row shows the errors
and offers no confirm button, and a confirm that meets an error (the data changed since the preview)
saves nothing and says so. Importing takes the permissions to add and to change leads.

The changelist keeps its own template (templates/admin/leads/lead/change_list.html, which draws the
"Import" button): import-export's changelist template would hide the other buttons from users who
cannot add leads.
"""

import logging

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.results import RowResult

from leads.imports import ADMIN_IMPORT_FORMATS, LeadImportFileError, lead_import_allowed
from leads.resources import LeadResource

logger = logging.getLogger("leads.imports")


class LeadImportAdminMixin(ImportMixin):
    resource_classes = [LeadResource]
    import_formats = ADMIN_IMPORT_FORMATS

    def init_change_list_template(self):
        # Keep the admin's own changelist template lookup (see the module docstring); the base template
        # import-export hands to its changelist context is then unused.
        self.ie_base_change_list_template = None

    def has_import_permission(self, request) -> bool:
        return lead_import_allowed(user=request.user)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, LeadImportFileError):
            form.add_error("import_file", e.message)
        else:
            logger.warning("lead import file unreadable: %r", e, exc_info=e)
            form.add_error(
                "import_file", "The file cannot be read in the chosen format. Check the file and the format."
            )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Only reached when the rows changed between the preview and the confirm; all was rolled back.
            failed = len(result.invalid_rows) + len(result.error_rows) or 1
            messages.error(
                request,
                f"Nothing was imported: {failed} row(s) failed when the import was confirmed "
                "(the leads may have changed since the preview). Upload the file again to see the errors.",
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{app_label}_{model_name}_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"Import finished: {totals[RowResult.IMPORT_TYPE_NEW]} new, {totals[RowResult.IMPORT_TYPE_UPDATE]} "
            f"updated, {totals[RowResult.IMPORT_TYPE_SKIP]} unchanged (skipped) leads.",
        )
