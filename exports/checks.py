"""System checks: the format and data-type registries load, and the export directory is writable.

A missing directory is created, so a fresh checkout starts without a manual step; only a directory
that cannot be created or written to is an error.
"""

import os
from pathlib import Path

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

from exports.storage import export_storage

HINT = "Set EXPORT_DIRECTORY to a folder the server and the export worker can write to."


@checks.register(checks.Tags.files)
def check_export_directory(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    storage = export_storage()
    if not isinstance(storage, FileSystemStorage):
        return []
    folder = Path(storage.location)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return [
            checks.Error(
                f"The export directory {folder} does not exist and could not be created ({error.strerror or error}).",
                hint=HINT,
                id="exports.E001",
            )
        ]
    if not os.access(folder, os.W_OK | os.X_OK):
        return [checks.Error(f"The export directory {folder} is not writable.", hint=HINT, id="exports.E002")]
    return []


@checks.register(checks.Tags.compatibility)
def check_registries(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A wrong EXPORT_FORMATS or EXPORT_DATASETS entry is named by `manage.py check`, not by a crash."""
    from exports.datasets.registry import available_datasets
    from exports.formats.registry import available_formats

    errors = []
    for check_id, load in (("exports.E003", available_formats), ("exports.E004", available_datasets)):
        try:
            load()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), hint="Correct the setting's dotted paths.", id=check_id))
    return errors
