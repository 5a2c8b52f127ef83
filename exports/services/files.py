"""Removing an export's stored file, and the folder that held only it."""

import contextlib
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage

from exports.storage import export_storage


def stored_file_delete(name: str) -> None:
    """Delete `name` from the export storage; a missing file is not an error.

    Each export's file sits in a folder of its own (see export_upload_to); on a file-system
    storage that folder is removed too once empty, so cleanup does not leave one per export.
    """
    if not name:
        return
    storage = export_storage()
    storage.delete(name)
    if isinstance(storage, FileSystemStorage):
        folder = Path(storage.path(name)).parent
        if folder != Path(storage.location):
            with contextlib.suppress(OSError):  # not empty, or already gone
                os.rmdir(folder)
