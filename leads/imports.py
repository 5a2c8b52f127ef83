"""The lead import's public entry points; the code lives in `leads.importing` (see its modules).

`lead_import` imports one file (a path or its bytes) all or nothing, for the command line and
scripts. The admin previews uploads through `leads.importing.records`; the scraper ingest writes
row batches through `leads.importing.upsert.leads_upsert`.
"""

import os

from django.core.exceptions import PermissionDenied

from leads.importing.errors import LeadImportFileError
from leads.importing.files import (
    LeadImportResult,
    LeadImportRowError,
    LeadImportSource,
    ProgressHook,
    lead_file_import,
    lead_import_format,
)
from leads.importing.readers import FORMATS as LEAD_IMPORT_FORMATS
from leads.importing.records import lead_import_allowed

__all__ = [
    "LEAD_IMPORT_FORMATS",
    "LeadImportFileError",
    "LeadImportResult",
    "LeadImportRowError",
    "lead_import",
    "lead_import_allowed",
    "lead_import_format",
]


def lead_import(
    *,
    file_path_or_bytes: str | os.PathLike | bytes,
    format: str | None = None,
    user=None,
    dry_run: bool = False,
    on_progress: ProgressHook | None = None,
) -> LeadImportResult:
    """Import leads from a file (a path or its bytes), all or nothing.

    `format` is csv, xlsx or json; without it a path's extension decides. `user`, when given, must
    hold the import permission. A dry run checks every row and saves nothing. Raises
    LeadImportFileError for a file that cannot be read, PermissionDenied for a user who may not import.
    """
    if user is not None and not lead_import_allowed(user=user):
        raise PermissionDenied("Importing leads needs the “Can import leads” permission.")
    if isinstance(file_path_or_bytes, bytes | bytearray):
        key = lead_import_format(format=format, file_name=None)
        source = LeadImportSource.from_bytes(bytes(file_path_or_bytes))
    else:
        key = lead_import_format(format=format, file_name=os.fspath(file_path_or_bytes))  # before reading
        source = LeadImportSource.from_path(file_path_or_bytes)
    return lead_file_import(source=source, format=key, dry_run=dry_run, on_progress=on_progress)
