"""Lead settings in one place, each with its default, read when asked (never at import time).

The twin of `exports/conf.py`: a value in Django's settings (read from the
environment by `leadsite/settings.py`, falling back to these defaults)
overrides the default here. Imports nothing but Django's lazy settings.
"""

from pathlib import Path

from django.conf import settings

DEFAULTS = {
    "LEAD_IMPORT_MAX_BYTES": 200_000_000,
    "LEAD_IMPORT_MAX_ROWS": 100_000,
    "LEAD_IMPORT_QUICK_ROWS": 1_000,
    "LEAD_ROLLUPS": True,
    "SUPPRESSION_HASH_KEY": "",
    "LEAD_DUPLICATE_WINDOW_DAYS": 14,
    "LEAD_DUPLICATE_TEXT_SIMILARITY": 80,
    "LEAD_MERGE_UNDO_DAYS": 7,
}


def setting(name: str):
    """The value of lead setting `name`: Django's setting when there is one, else its default."""
    return getattr(settings, name, DEFAULTS[name])


def import_max_bytes() -> int:
    """LEAD_IMPORT_MAX_BYTES: larger files are refused before a byte of them is read."""
    return setting("LEAD_IMPORT_MAX_BYTES")


def import_max_rows() -> int:
    """LEAD_IMPORT_MAX_ROWS, never below EXPORT_MAX_RECORDS: any export the site makes re-imports."""
    return max(setting("LEAD_IMPORT_MAX_ROWS"), settings.EXPORT_MAX_RECORDS)


def import_quick_rows() -> int:
    """LEAD_IMPORT_QUICK_ROWS: files with more rows are checked and imported in the background."""
    return setting("LEAD_IMPORT_QUICK_ROWS")


def import_directory() -> Path:
    """LEAD_IMPORT_DIRECTORY: where uploaded files wait for their preview to be confirmed or run."""
    return Path(settings.LEAD_IMPORT_DIRECTORY)


def rollups_enabled() -> bool:
    """LEAD_ROLLUPS: answer analytics from the daily lead rollups when the spec allows."""
    return setting("LEAD_ROLLUPS")


def suppression_hash_key() -> str:
    """SUPPRESSION_HASH_KEY: the secret of the do-not-contact list's keyed hashes ("": derive it from SECRET_KEY)."""
    return setting("SUPPRESSION_HASH_KEY")


def duplicate_window_days() -> int:
    """LEAD_DUPLICATE_WINDOW_DAYS: near-identical titles found this many days apart or less are reposts."""
    return setting("LEAD_DUPLICATE_WINDOW_DAYS")


def duplicate_text_similarity() -> int:
    """LEAD_DUPLICATE_TEXT_SIMILARITY: the trigram similarity (percent) that makes two titles near-identical."""
    return setting("LEAD_DUPLICATE_TEXT_SIMILARITY")


def merge_undo_days() -> int:
    """LEAD_MERGE_UNDO_DAYS: for how long a merge of duplicates can be undone."""
    return setting("LEAD_MERGE_UNDO_DAYS")
