"""Pruning finished rows of the task queue (django-tasks-db), so its table does not grow without bound.

Every export and import leaves a DBTaskResult row behind. Rows that finished (successful or failed)
more than TASK_RESULTS_KEEP_DAYS days ago are deleted, in batches so no statement holds the table
for long; pending and running rows are never touched. The workers and the scheduler call this about
once an hour (operations.services.worker.HeartbeatThread); `manage.py prune_task_results` runs it by hand.
"""

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations import conf

logger = logging.getLogger("operations")
BATCH = 1000


def task_results_prunable(*, keep_days: int | None = None, now: datetime | None = None):
    """The finished task rows older than the retention (none when it is 0: keep forever)."""
    keep_days = conf.task_results_keep_days() if keep_days is None else keep_days
    if keep_days <= 0:
        return DBTaskResult.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    return DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)


def task_results_prune(*, keep_days: int | None = None, now: datetime | None = None) -> int:
    """Delete the finished task rows older than the retention; returns how many were deleted."""
    prunable = task_results_prunable(keep_days=keep_days, now=now)
    deleted = 0
    while True:
        batch = list(prunable.order_by().values_list("pk", flat=True)[:BATCH])
        if not batch:
            break
        count, _ = DBTaskResult.objects.filter(pk__in=batch).delete()
        deleted += count
    if deleted:
        logger.info("task results pruned rows=%s", deleted)
    return deleted
