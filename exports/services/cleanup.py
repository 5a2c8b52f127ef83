"""Housekeeping: delete old export files (records are kept, marked expired) and fail dead exports."""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from exports import conf
from exports.models import Export, ExportStatus
from exports.services.files import stored_file_delete
from exports.storage import export_storage

logger = logging.getLogger("exports.services")

STALE_MESSAGE = "The export worker stopped responding; re-run it."
# A temporary file untouched for this long (or for the stale timeout, if longer) belongs to no live export.
STRAY_TEMP_AGE_SECONDS = 3600
CLEANABLE_STATUSES = (ExportStatus.COMPLETED, ExportStatus.FAILED)


@dataclass(frozen=True)
class CleanupResult:
    dry_run: bool
    days: int
    records_expired: int  # records marked expired (or that would be, in a dry run)
    files_deleted: int
    bytes_freed: int
    temp_files_removed: int


def exports_cleanup(*, days: int | None = None, dry_run: bool = False) -> CleanupResult:
    """Delete the files of completed and failed exports created more than `days` ago and mark them expired.

    `days` defaults to EXPORT_CLEANUP_DAYS. Pending and running exports are never touched. The
    record is kept (the history shows it as expired; a download gets 410 Gone). Temporary files
    left by crashed exports are removed. Running it twice deletes nothing the second time.
    """
    days = conf.cleanup_days() if days is None else days
    if days < 0:
        raise ValueError("days must not be negative.")
    cutoff = timezone.now() - timedelta(days=days)
    storage = export_storage()
    records = files = freed = 0
    candidates = Export.objects.filter(status__in=CLEANABLE_STATUSES, created_at__lt=cutoff).only(
        "pk", "status", "file", "file_size"
    )
    for export in candidates.iterator(chunk_size=500):
        name = export.file.name
        size = _stored_size(storage, name)
        if dry_run:
            records += 1
            files += size is not None
            freed += size or 0
            continue
        # The file goes first: if the process dies between the two steps, the record still says
        # completed and the next download (or cleanup) finds the file missing and expires it.
        if size is not None:
            stored_file_delete(name)
            files += 1
            freed += size
        # Conditional on the status read above, so a record changed meanwhile is left alone.
        records += Export.objects.filter(pk=export.pk, status=export.status).update(
            status=ExportStatus.EXPIRED, file=""
        )
    temp_removed = _remove_stray_temp_files(dry_run=dry_run)
    result = CleanupResult(
        dry_run=dry_run,
        days=days,
        records_expired=records,
        files_deleted=files,
        bytes_freed=freed,
        temp_files_removed=temp_removed,
    )
    logger.info(
        "exports cleanup dry_run=%s days=%s records_expired=%s files_deleted=%s bytes_freed=%s temp_files=%s",
        dry_run,
        days,
        records,
        files,
        freed,
        temp_removed,
    )
    return result


def exports_fail_stale(*, timeout_seconds: int | None = None, dry_run: bool = False) -> int:
    """Mark running exports whose worker stopped sending heartbeats as failed; returns how many.

    `timeout_seconds` defaults to EXPORT_STALE_SECONDS. A failed export can be re-run.
    """
    timeout = conf.stale_seconds() if timeout_seconds is None else timeout_seconds
    cutoff = timezone.now() - timedelta(seconds=timeout)
    stale = Export.objects.filter(status=ExportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    stale_ids = list(stale.values_list("pk", flat=True))
    if dry_run or not stale_ids:
        return len(stale_ids)
    # The same conditions again in the UPDATE: a heartbeat that arrived meanwhile keeps its export alive.
    failed = stale.filter(pk__in=stale_ids).update(
        status=ExportStatus.FAILED, finished_at=timezone.now(), error_message=STALE_MESSAGE
    )
    for export_id in stale_ids:
        logger.warning("export marked failed as stale export_id=%s timeout=%s", export_id, timeout)
    return failed


def _stored_size(storage, name: str) -> int | None:
    """The stored file's size, or None when there is no file."""
    if not name:
        return None
    try:
        return storage.size(name)
    except (FileNotFoundError, OSError):
        return None


def _remove_stray_temp_files(*, dry_run: bool) -> int:
    folder = conf.export_directory() / conf.TEMP_DIRECTORY_NAME
    if not folder.is_dir():
        return 0
    too_old = time.time() - max(STRAY_TEMP_AGE_SECONDS, conf.stale_seconds())
    removed = 0
    for path in folder.glob(f"{conf.TEMP_FILE_PREFIX}*"):
        try:
            if not path.is_file() or path.stat().st_mtime >= too_old:
                continue
            if not dry_run:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue  # removed by its own export meanwhile
    return removed
