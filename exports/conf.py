"""Export settings in one place, each with its default, read when asked (never at import time).

As in django-filter's `conf.py`: `DEFAULTS` holds every export setting's
default; a value in Django's settings (which `leadsite/settings.py` reads from
the environment, falling back to these same defaults) overrides it. Views,
services and writers call the functions below, never `settings.EXPORT_*`.

This module imports nothing but Django's lazy settings, so `settings.py` can
read its defaults.
"""

from pathlib import Path

from django.conf import settings

DEFAULTS = {
    "EXPORT_MAX_RECORDS": 100_000,
    "QUICK_EXPORT_LIMIT": 10_000,
    "EXPORT_CLEANUP_DAYS": 30,
    "EXPORT_COMPRESSION_LEVEL": 6,
    "EXPORT_CSV_COPY": True,
    "EXPORT_MIN_FREE_MB": 100,
    "EXPORT_STALE_SECONDS": 900,
    "EXPORT_DOWNLOAD_MODE": "stream",
    "EXPORT_DOWNLOAD_URL_SECONDS": 60,
    "EXPORT_DIRECTORY": None,  # None: the folder "exports" under DATA_DIR
    # Dotted paths of the format and data type classes (exports.formats.registry, exports.datasets.registry).
    "EXPORT_FORMATS": [
        "exports.formats.delimited.CsvFormat",
        "exports.formats.spreadsheet.ExcelFormat",
        "exports.formats.json_document.JsonFormat",
        "exports.formats.archive.ZipFormat",
    ],
    "EXPORT_DATASETS": [
        "exports.datasets.leads.LeadsDataset",
        "exports.datasets.analytics.AnalyticsDataset",
        "exports.datasets.comprehensive.ComprehensiveDataset",
        "outreach.datasets.AutoResponsesDataset",
        "outreach.datasets.ABTestResultsDataset",
        "rules.datasets.RuleExecutionsDataset",
    ],
}
TEMP_DIRECTORY_NAME = "tmp"
TEMP_FILE_PREFIX = "export-"


def setting(name: str):
    """The value of export setting `name`: Django's setting when there is one, else its default."""
    return getattr(settings, name, DEFAULTS[name])


def max_records() -> int:
    """EXPORT_MAX_RECORDS: exports matching more leads than this are refused."""
    return setting("EXPORT_MAX_RECORDS")


def quick_export_limit() -> int:
    """QUICK_EXPORT_LIMIT: up to this many rows an export runs at once; above it, in the background."""
    return setting("QUICK_EXPORT_LIMIT")


def cleanup_days() -> int:
    """EXPORT_CLEANUP_DAYS: files of finished exports older than this are deleted by cleanup."""
    return setting("EXPORT_CLEANUP_DAYS")


def compression_level() -> int:
    """EXPORT_COMPRESSION_LEVEL: deflate level (0-9) of ZIP exports."""
    return setting("EXPORT_COMPRESSION_LEVEL")


def csv_copy() -> bool:
    """EXPORT_CSV_COPY: on PostgreSQL, CSV exports stream through COPY."""
    return setting("EXPORT_CSV_COPY")


def min_free_bytes() -> int:
    """EXPORT_MIN_FREE_MB in bytes: an export does not start writing with less free disk space than this."""
    return setting("EXPORT_MIN_FREE_MB") * 1024 * 1024


def stale_seconds() -> int:
    """EXPORT_STALE_SECONDS: a running export without a heartbeat for this long is considered dead."""
    return setting("EXPORT_STALE_SECONDS")


def download_mode() -> str:
    """EXPORT_DOWNLOAD_MODE: "stream" files through Django, or "redirect" to a pre-signed object-storage URL."""
    return setting("EXPORT_DOWNLOAD_MODE")


def download_url_seconds() -> int:
    """EXPORT_DOWNLOAD_URL_SECONDS: how long a pre-signed download URL stays valid."""
    return setting("EXPORT_DOWNLOAD_URL_SECONDS")


def export_directory() -> Path:
    """EXPORT_DIRECTORY: the local folder of the file-system export storage."""
    return Path(setting("EXPORT_DIRECTORY") or default_export_directory(Path(settings.DATA_DIR)))


def default_export_directory(data_dir: Path) -> Path:
    return data_dir / "exports"


def temp_directory() -> Path:
    """Where files are written before they are saved to storage; created on demand.

    A local folder beside the export files, so a finished file is moved (not copied) into a
    file-system storage, and stray files of crashed exports are found and removed by cleanup.
    """
    path = export_directory() / TEMP_DIRECTORY_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path
