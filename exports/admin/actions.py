"""Running an export service on each selected export from an admin action, with one message per outcome."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from exports.errors import ExportError, ExportValidationError


def run_on_each(request, queryset, service, *, done: str) -> None:
    """Call `service(export=..., user=...)` for each export; say how many succeeded and why others did not."""
    succeeded, failures = 0, []
    for export in queryset:
        try:
            service(export=export, user=request.user)
        except (ExportError, ExportValidationError, PermissionDenied) as error:
            failures.append(" ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, f"{done} {succeeded} export{'s' if succeeded != 1 else ''}.")
    if not succeeded and not failures:
        messages.warning(request, "None of the selected exports could take this action.")
    for failure in failures:
        messages.error(request, failure)
