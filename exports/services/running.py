"""Running an export: claim the record, write to a temporary file, save it through storage.

Failure is a state, not a crash: any error marks the record failed with a short message, and no
partial file is ever attached to a record (the file reaches storage only once it is complete).
"""

import errno
import hashlib
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db.models import F
from django.utils import timezone

from exports import conf
from exports.content.naming import export_file_name
from exports.errors import ExportError
from exports.models import Export, ExportStatus, export_upload_to
from exports.services.files import stored_file_delete
from exports.services.writing import export_write
from exports.storage import export_storage
from leads.contact_access import contact_search_for

logger = logging.getLogger("exports.services")

# The record is updated at most this often while writing: progress for the history page, and a
# heartbeat that tells stale detection the worker is alive.
PROGRESS_INTERVAL_SECONDS = 1.0
MAX_ERROR_LENGTH = 300
TEMP_SUFFIX = ".part"
STOPPED_MESSAGE = "The export worker was stopped while writing the file; re-run the export."

ProgressHook = Callable[[int, int | None], None]


class ExportInterrupted(Exception):
    """The record left the running state while writing (cancelled, or failed as stale): stop quietly."""


class NotEnoughDiskSpace(ExportError):
    """Less free space than EXPORT_MIN_FREE_MB where the file would be written or stored."""


def export_run(*, export_id, worker_id: str = "", on_progress: ProgressHook | None = None) -> Export | None:
    """Claim a pending export and write its file; returns the record in its final state.

    Claiming is one conditional UPDATE (pending -> running), so a task delivered twice, or a
    record already cancelled, is a no-op that returns the record unchanged. Returns None when
    the record no longer exists (deleted before a worker got to it). Never raises for a failed
    export: the record holds the status and the message. `on_progress(rows_written, row_count)`
    is called as rows are written (the command line draws its progress bar with it).

    `worker_id` names the background worker that claims it, so the export can be recovered when
    that worker's heartbeat stops. Each claim counts an attempt; the writer's updates only match
    its own attempt, so a writer whose export was handed to another worker meanwhile stops.
    """
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        error_message="",
        worker_id=worker_id[:64],
        attempts=F("attempts") + 1,
        rows_written=0,
        progress=0,
    )
    export = Export.objects.select_related("created_by").filter(pk=export_id).first()
    if export is None:
        logger.warning("export not found export_id=%s", export_id)
        return None
    if not claimed:
        logger.info("export not claimed export_id=%s status=%s", export_id, export.status)
        return export
    return _write(export, on_progress=on_progress)


def _write(export: Export, *, on_progress: ProgressHook | None) -> Export:
    started = time.monotonic()
    progress = _ProgressRecorder(export, hook=on_progress)
    temp_path: Path | None = None
    stored_name = ""
    storage = export_storage()
    try:
        _check_free_space(storage)
        with tempfile.NamedTemporaryFile(
            dir=conf.temp_directory(), prefix=_temp_prefix(export.pk), suffix=TEMP_SUFFIX, delete=False
        ) as destination:
            temp_path = Path(destination.name)
            # The spec's search is read for the export's creator (a replay, the worker, a schedule alike).
            with contact_search_for(lambda: export.created_by):
                rows = export_write(export=export, destination=destination, on_progress=progress)
        progress.check_still_running()
        size, checksum = _size_and_checksum(temp_path)
        file_name = export_file_name(export=export)
        with temp_path.open("rb") as handle:
            stored_name = storage.save(export_upload_to(export, file_name), _TemporaryFile(handle, temp_path))
        finished = timezone.now()
        completed = _mine(export).update(
            status=ExportStatus.COMPLETED,
            finished_at=finished,
            heartbeat_at=finished,
            rows_written=rows,
            progress=100,
            file=stored_name,
            file_name=file_name,
            file_size=size,
            checksum_sha256=checksum,
            error_message="",
        )
        if not completed:
            raise ExportInterrupted
        logger.info(
            "export completed export_id=%s user=%s rows=%s bytes=%s seconds=%.2f",
            export.pk,
            _username(export),
            rows,
            size,
            time.monotonic() - started,
        )
    except ExportInterrupted:
        _delete_stored(stored_name)
        logger.info(
            "export stopped export_id=%s user=%s rows=%s seconds=%.2f",
            export.pk,
            _username(export),
            progress.rows,
            time.monotonic() - started,
        )
    except Exception as error:
        _delete_stored(stored_name)
        message = failure_message(error)
        logger.exception(
            "export failed export_id=%s user=%s rows=%s seconds=%.2f error=%s",
            export.pk,
            _username(export),
            progress.rows,
            time.monotonic() - started,
            message,
        )
        _mark_failed(export, message=message, rows=progress.rows)
    except BaseException:
        # The worker is being stopped (SIGINT, SystemExit): record why, then let it stop.
        _delete_stored(stored_name)
        _mark_failed(export, message=STOPPED_MESSAGE, rows=progress.rows)
        raise
    finally:
        if temp_path is not None:
            temp_path.unlink(missing_ok=True)
    export.refresh_from_db()
    return export


def failure_message(error: BaseException) -> str:
    """A short sentence for the history page; the traceback goes to the log."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Disk full while writing the file."
    if isinstance(error, OperationalError | InterfaceError):
        return "Database connection lost while writing the file."
    if isinstance(error, ExportError):
        return str(error)
    first_line = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    message = first_line or f"Unexpected error ({type(error).__name__})."
    return message if len(message) <= MAX_ERROR_LENGTH else message[: MAX_ERROR_LENGTH - 1] + "…"


def _mark_failed(export: Export, *, message: str, rows: int) -> None:
    # The database may be what failed: retry once on a fresh connection; if that fails too,
    # stale detection marks the record failed later.
    for attempt in range(2):
        try:
            _mine(export).update(
                status=ExportStatus.FAILED, finished_at=timezone.now(), error_message=message, rows_written=rows
            )
            return
        except DatabaseError:
            if attempt:
                logger.exception("export could not be marked failed export_id=%s", export.pk)
                return
            close_old_connections()


def export_temp_files_remove(*, export_id) -> int:
    """Remove the temporary `.part` files of this export (left by a worker that died); returns how many."""
    folder = conf.export_directory() / conf.TEMP_DIRECTORY_NAME
    removed = 0
    for path in folder.glob(f"{_temp_prefix(export_id)}*{TEMP_SUFFIX}"):
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed


def _temp_prefix(export_id) -> str:
    # The export id in the name lets recovery find the file of a dead worker's export.
    return f"{conf.TEMP_FILE_PREFIX}{export_id}-"


def _mine(export: Export):
    """This attempt's running record: the writer's updates must not touch a later attempt."""
    return Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, attempts=export.attempts)


def _check_free_space(storage) -> None:
    needed = conf.min_free_bytes()
    if not needed:
        return
    folders = [conf.temp_directory()]
    if isinstance(storage, FileSystemStorage):
        Path(storage.location).mkdir(parents=True, exist_ok=True)
        folders.append(Path(storage.location))
    for folder in folders:
        free = shutil.disk_usage(folder).free
        if free < needed:
            raise NotEnoughDiskSpace(
                f"Not enough free disk space to write the export: {free // 2**20} MB free, "
                f"at least {needed // 2**20} MB needed (EXPORT_MIN_FREE_MB)."
            )


def _size_and_checksum(path: Path) -> tuple[int, str]:
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return path.stat().st_size, digest.hexdigest()


def _delete_stored(name: str) -> None:
    try:
        stored_file_delete(name)
    except Exception:
        logger.exception("could not delete stored export file name=%s", name)


def _username(export: Export) -> str:
    return export.created_by.get_username() if export.created_by else "-"


class _TemporaryFile(File):
    """A finished temporary file; a file-system storage moves it into place instead of copying it."""

    def __init__(self, handle, path: Path):
        super().__init__(handle, name=path.name)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


class _ProgressRecorder:
    """The writer's on_progress callback: throttled single-UPDATE progress and heartbeat.

    The UPDATE only matches a running record, so it also tells the writer when the export was
    cancelled (or failed as stale) meanwhile: the next call raises ExportInterrupted.
    """

    def __init__(self, export: Export, *, hook: ProgressHook | None):
        self.export = export
        self.export_id = export.pk
        self.row_count = export.row_count
        self.hook = hook
        self.rows = 0
        self._last_update = time.monotonic()

    def __call__(self, rows_written: int) -> None:
        self.rows = rows_written
        if self.hook is not None:
            self.hook(rows_written, self.row_count)
        now = time.monotonic()
        if now - self._last_update < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_update = now
        updated = _mine(self.export).update(
            rows_written=rows_written, progress=self._percent(rows_written), heartbeat_at=timezone.now()
        )
        if not updated:
            raise ExportInterrupted

    def check_still_running(self) -> None:
        if not _mine(self.export).exists():
            raise ExportInterrupted

    def _percent(self, rows_written: int) -> int:
        if not self.row_count:
            return 0
        # 100 means the file is saved; until then, stop at 99 even if new leads arrived meanwhile.
        return min(99, rows_written * 100 // self.row_count)
