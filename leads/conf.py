"""Lead settings in one place, each with its default, read when asked (never at import time).

The twin of `exports/conf.py`: a value in Django's settings (read from the
environment by `leadsite/settings.py`, falling back to these defaults)
overrides the default here. Imports nothing but Django's lazy settings.
"""

from django.conf import settings

DEFAULTS = {
    "LEAD_IMPORT_MAX_ROWS": 10_000,
    "LEAD_ROLLUPS": True,
}


def setting(name: str):
    """The value of lead setting `name`: Django's setting when there is one, else its default."""
    return getattr(settings, name, DEFAULTS[name])


def import_max_rows() -> int:
    """LEAD_IMPORT_MAX_ROWS: most rows one lead import file may hold (every row is previewed before saving)."""
    return setting("LEAD_IMPORT_MAX_ROWS")


def rollups_enabled() -> bool:
    """LEAD_ROLLUPS: answer analytics from the daily lead rollups when the spec allows."""
    return setting("LEAD_ROLLUPS")
