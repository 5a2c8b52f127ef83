"""Export settings, read when asked (never at import time) so tests and deployments can change them.

Every value comes from leadsite/settings.py, which reads it from the environment with a default.
"""

from pathlib import Path

from django.conf import settings

TEMP_DIRECTORY_NAME = "tmp"
TEMP_FILE_PREFIX = "export-"


def max_records() -> int:
    """EXPORT_MAX_RECORDS: exports matching more leads than this are refused."""
    return settings.EXPORT_MAX_RECORDS


def quick_export_limit() -> int:
    """QUICK_EXPORT_LIMIT: up to this many rows an export runs at once; above it, in the background."""
    return settings.QUICK_EXPORT_LIMIT


def cleanup_days() -> int:
    """EXPORT_CLEANUP_DAYS: files of finished exports older than this are deleted by cleanup."""
    return settings.EXPORT_CLEANUP_DAYS


def compression_level() -> int:
    """EXPORT_COMPRESSION_LEVEL: deflate level (0-9) of ZIP exports."""
    return settings.EXPORT_COMPRESSION_LEVEL


def min_free_bytes() -> int:
    """EXPORT_MIN_FREE_MB in bytes: an export does not start writing with less free disk space than this."""
    return settings.EXPORT_MIN_FREE_MB * 1024 * 1024


def stale_seconds() -> int:
    """EXPORT_STALE_SECONDS: a running export without a heartbeat for this long is considered dead."""
    return getattr(settings, "EXPORT_STALE_SECONDS", 900)


def download_mode() -> str:
    """EXPORT_DOWNLOAD_MODE: "stream" files through Django, or "redirect" to a pre-signed object-storage URL."""
    return settings.EXPORT_DOWNLOAD_MODE


def download_url_seconds() -> int:
    """EXPORT_DOWNLOAD_URL_SECONDS: how long a pre-signed download URL stays valid."""
    return settings.EXPORT_DOWNLOAD_URL_SECONDS


def export_directory() -> Path:
    """EXPORT_DIRECTORY: the local folder of the file-system export storage."""
    return Path(settings.EXPORT_DIRECTORY)


def temp_directory() -> Path:
    """Where files are written before they are saved to storage; created on demand.

    A local folder beside the export files, so a finished file is moved (not copied) into a
    file-system storage, and stray files of crashed exports are found and removed by cleanup.
    """
    path = export_directory() / TEMP_DIRECTORY_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path
