"""What the export services raise; entry points map these to form errors, messages or HTTP statuses.

Permission problems raise django.core.exceptions.PermissionDenied (403).
"""

from django.core.exceptions import ValidationError


class ExportError(Exception):
    """Base class of export errors; `str(error)` is a sentence fit to show to the user."""


class ExportValidationError(ValidationError):
    """Invalid export input (filters, format, columns, options); `message_dict` maps each field to its messages."""


class ExportLimitExceeded(ExportError):
    """The spec matches more rows than an export may hold (400)."""

    def __init__(self, *, count: int, limit: int):
        self.count = count
        self.limit = limit
        super().__init__(
            f"This export would contain {count:,} leads, over the limit of {limit:,}. Narrow the filters and try again."
        )


class ExportNotReady(ExportError):
    """A download of an export that is not completed (409)."""


class ExportGone(ExportError):
    """The export expired or its file is missing from storage (410)."""


class ExportStateError(ExportError):
    """The action does not fit the export's status, e.g. cancelling a completed export (409)."""
