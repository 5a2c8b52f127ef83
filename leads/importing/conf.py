"""Import settings, read when asked (never at import time) so tests and deployments can change them.

Every value comes from leadsite/settings.py, which reads it from the environment with a default.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings

# Rows validated and written per statement batch (the ingest API sends batches of this size too).
BATCH_SIZE = 1000
# Row errors kept for the report; rows with errors past this are counted, not listed.
MAX_REPORTED_ERRORS = 200
# A preview nobody confirmed or cancelled is removed after this long (manage.py cleanup_exports).
PREVIEW_MAX_AGE = timedelta(days=1)


def max_bytes() -> int:
    """LEAD_IMPORT_MAX_BYTES: larger files are refused before a byte of them is read."""
    return settings.LEAD_IMPORT_MAX_BYTES


def max_rows() -> int:
    """LEAD_IMPORT_MAX_ROWS, never below EXPORT_MAX_RECORDS: any export the site makes re-imports."""
    return max(settings.LEAD_IMPORT_MAX_ROWS, settings.EXPORT_MAX_RECORDS)


def quick_rows() -> int:
    """LEAD_IMPORT_QUICK_ROWS: files with more rows are checked and imported in the background."""
    return settings.LEAD_IMPORT_QUICK_ROWS


def import_directory() -> Path:
    """LEAD_IMPORT_DIRECTORY: where uploaded files wait for their preview to be confirmed or run."""
    return Path(settings.LEAD_IMPORT_DIRECTORY)
