"""Recovering exports the background path lost: a task that never reached the queue, a worker that died.

Run by every export worker and scheduler every few seconds (see operations.conf). Every change is a
conditional UPDATE on the state just read, so several recoverers running at once act once.

- A *lost* export is pending, older than WORKER_DEAD_SECONDS, and has no task that will run it
  (no task row, a finished one, or one a worker took long ago without claiming the export): it is
  queued again, once; lost a second time, it is marked failed.
- An *orphaned* export is running on a worker whose heartbeat stopped: its `.part` file is removed
  and it is queued again, once (the retry starts from scratch); orphaned a second time, failed.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from exports.models import Export, ExportStatus
from exports.services.lifecycle import export_enqueue
from exports.services.running import export_temp_files_remove
from operations import conf
from operations.models import WorkerHeartbeat
from operations.selectors import worker_ids_gone

logger = logging.getLogger("operations")

MAX_ATTEMPTS = 2  # the first run and one automatic retry
FORGET_AFTER = timedelta(days=1)
LOST_MESSAGE = "The export's background task was lost twice; re-run it."
ORPHANED_MESSAGE = "The export worker stopped while writing this export, and again on the automatic retry; re-run it."
ORPHANED_TASK_TRACEBACK = "The worker running this task stopped; the export was recovered."


@dataclass(frozen=True)
class RecoveryResult:
    requeued: int = 0  # lost pending exports queued again
    retried: int = 0  # orphaned running exports queued again
    failed: int = 0  # lost or orphaned a second time

    def __bool__(self) -> bool:
        return bool(self.requeued or self.retried or self.failed)


def exports_recover(*, now: datetime | None = None) -> RecoveryResult:
    """Queue lost and orphaned exports again (once each) or fail them; see the module docstring."""
    now = now or timezone.now()
    retried, failed_orphans = _recover_orphaned(now=now)
    requeued, failed_lost = _recover_lost(now=now)
    _forget_old_workers(now=now)
    result = RecoveryResult(requeued=requeued, retried=retried, failed=failed_orphans + failed_lost)
    if result:
        logger.warning(
            "exports recovered requeued=%s retried=%s failed=%s", result.requeued, result.retried, result.failed
        )
    return result


def _recover_orphaned(*, now: datetime) -> tuple[int, int]:
    running = Export.objects.filter(status=ExportStatus.RUNNING).exclude(worker_id="")
    gone = worker_ids_gone(among=running.values_list("worker_id", flat=True).distinct(), now=now)
    if not gone:
        return 0, 0
    orphans = Export.objects.filter(status=ExportStatus.RUNNING, worker_id__in=gone).only(
        "pk", "attempts", "worker_id", "task_id"
    )
    retried = failed = 0
    for export in orphans:
        mine = Export.objects.filter(
            pk=export.pk, status=ExportStatus.RUNNING, worker_id=export.worker_id, attempts=export.attempts
        )
        if export.attempts >= MAX_ATTEMPTS:
            if mine.update(status=ExportStatus.FAILED, finished_at=now, error_message=ORPHANED_MESSAGE):
                failed += 1
                logger.warning("export failed: its worker died twice export_id=%s", export.pk)
        elif mine.back_to_pending(requeued_at=now):
            _enqueue(export, why="its worker stopped", worker_id=export.worker_id)
            retried += 1
        else:
            continue  # changed meanwhile (finished, cancelled, or recovered by another process)
        export_temp_files_remove(export_id=export.pk)
        _task_mark_abandoned(task_id=export.task_id, now=now)
    return retried, failed


def _recover_lost(*, now: datetime) -> tuple[int, int]:
    backend = _database_backend()
    if backend is None:
        return 0, 0  # tasks do not go through the database queue: nothing can be lost in it
    cutoff = now - timedelta(seconds=conf.dead_seconds())
    pending = list(
        Export.objects.filter(status=ExportStatus.PENDING, created_at__lt=cutoff)
        .exclude(requeued_at__gte=cutoff)  # queued again recently: give that task its time
        .only("pk", "task_id", "requeued_at")
    )
    if not pending:
        return 0, 0
    task_ids = [export.task_id for export in pending if export.task_id]
    tasks = {
        str(task.pk): task
        for task in DBTaskResult.objects.filter(pk__in=_valid_uuids(task_ids)).only("pk", "status", "started_at")
    }
    requeued = failed = 0
    for export in pending:
        task = tasks.get(_normalized(export.task_id))
        if _task_will_run(task, cutoff=cutoff):
            continue
        mine = Export.objects.filter(pk=export.pk, status=ExportStatus.PENDING, task_id=export.task_id)
        if export.requeued_at is not None:
            if mine.update(status=ExportStatus.FAILED, finished_at=now, error_message=LOST_MESSAGE):
                failed += 1
                logger.warning("export failed: its task was lost twice export_id=%s", export.pk)
        elif mine.update(requeued_at=now):
            _enqueue(export, why="its task was lost")
            requeued += 1
    return requeued, failed


def _forget_old_workers(*, now: datetime) -> None:
    """Heartbeats of workers gone for a day are history: each restart registers a new id."""
    busy = Export.objects.filter(status=ExportStatus.RUNNING).values_list("worker_id", flat=True)
    WorkerHeartbeat.objects.filter(last_seen_at__lt=now - FORGET_AFTER).exclude(worker_id__in=busy).delete()


def _task_will_run(task: DBTaskResult | None, *, cutoff: datetime) -> bool:
    if task is None:
        return False
    if task.status == TaskResultStatus.READY:
        return True
    # A worker claims the export right after the task: a task taken long ago with the export still
    # pending was abandoned (the worker hit an error between the two).
    return task.status == TaskResultStatus.RUNNING and task.started_at is not None and task.started_at >= cutoff


def _enqueue(export: Export, *, why: str, worker_id: str = "") -> None:
    logger.warning("export queued again because %s export_id=%s worker_id=%s", why, export.pk, worker_id or "-")
    export_enqueue(export=export)  # autocommit here: the task is written at once


def _task_mark_abandoned(*, task_id: str, now: datetime) -> None:
    """The dead worker's task row would say "running" forever: record that it ended."""
    if not task_id or not _valid_uuids([task_id]):
        return
    DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="operations.services.recovery.WorkerStopped",
        traceback=ORPHANED_TASK_TRACEBACK,
    )


def _database_backend() -> DatabaseBackend | None:
    backend = task_backends["default"]
    return backend if isinstance(backend, DatabaseBackend) else None


def _valid_uuids(values: list[str]) -> list[str]:
    return [normalized for value in values if (normalized := _normalized(value))]


def _normalized(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        return ""
