"""Rule engine settings, read when asked (never at import time)."""

from django.conf import settings

DEFAULTS = {
    "RULE_OUTCOME_RETENTION_DAYS": 30,
    "RULE_BATCH_SIZE": 2000,
    "RULE_OUTCOME_PRUNE_SECONDS": 3600,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def outcome_retention_days() -> int:
    """RULE_OUTCOME_RETENTION_DAYS: per-lead outcomes older than this are rolled up by day, then deleted."""
    return setting("RULE_OUTCOME_RETENTION_DAYS")


def batch_size() -> int:
    """RULE_BATCH_SIZE: leads claimed and acted on per batch."""
    return setting("RULE_BATCH_SIZE")


def outcome_prune_seconds() -> int:
    """RULE_OUTCOME_PRUNE_SECONDS: the rule scheduler prunes the outcome log at most once per this many seconds."""
    return max(1, int(setting("RULE_OUTCOME_PRUNE_SECONDS")))
