"""Operations settings, read when asked (never at import time) so tests and deployments can change them."""

from django.conf import settings


def heartbeat_seconds() -> int:
    """WORKER_HEARTBEAT_SECONDS: how often a worker or scheduler records that it is alive."""
    return settings.WORKER_HEARTBEAT_SECONDS


def dead_seconds() -> int:
    """WORKER_DEAD_SECONDS: a worker not seen for this long is gone (its exports are recovered)."""
    return settings.WORKER_DEAD_SECONDS


def recovery_interval_seconds() -> float:
    """How often a worker or scheduler looks for lost and orphaned exports: twice per dead interval."""
    return float(min(30, max(1, dead_seconds() // 2)))


def db_retry_seconds() -> int:
    """WORKER_DB_RETRY_SECONDS: how long a worker retries a failing database before it exits non-zero."""
    return settings.WORKER_DB_RETRY_SECONDS


def task_results_keep_days() -> int:
    """TASK_RESULTS_KEEP_DAYS: finished task-queue rows older than this are pruned (0: kept forever)."""
    return settings.TASK_RESULTS_KEEP_DAYS


# How often a worker or scheduler prunes the finished task rows (operations.services.task_results).
TASK_RESULTS_PRUNE_SECONDS = 3600.0


def schedule_late_seconds() -> int:
    """SCHEDULE_LATE_SECONDS: a scheduled run starting more than this after its slot counts as late."""
    return getattr(settings, "SCHEDULE_LATE_SECONDS", 300)
