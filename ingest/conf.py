"""Ingest settings, each with its default, read when asked (never at import time).

A value in Django's settings (read from the environment by `leadsite/settings.py`) overrides the
default here.
"""

from django.conf import settings

DEFAULTS = {
    "LEAD_INGEST_MAX_BATCH": 1000,
    "LEAD_INGEST_MAX_BYTES": 20_000_000,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def max_batch() -> int:
    """LEAD_INGEST_MAX_BATCH: the most leads one `POST /api/v1/leads/ingest` may carry."""
    return setting("LEAD_INGEST_MAX_BATCH")


def max_bytes() -> int:
    """LEAD_INGEST_MAX_BYTES: the largest ingest request body (413 above it)."""
    return setting("LEAD_INGEST_MAX_BYTES")
