"""LeadImport records: preview an upload, confirm or cancel it, run it (at once or in the background), clean up.

An upload is saved under LEAD_IMPORT_DIRECTORY (never the system temp folder) and checked. A file
with errors is deleted at once and only its errors are shown. A clean file waits, as a *previewed*
record, for the person to confirm or cancel; up to LEAD_IMPORT_QUICK_ROWS rows it is imported at once
on confirm, above it the record is queued for the worker (`leads.tasks.run_lead_import`) and its
progress shows in the import history. The waiting file is deleted when the import ends, when it is
cancelled, and by `lead_imports_cleanup` (manage.py cleanup_exports) a day after an abandoned preview.
"""

import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from leads.importing import conf
from leads.importing.errors import LeadImportFileError, printable
from leads.importing.files import (
    LeadImportResult,
    LeadImportSource,
    lead_file_import,
    lead_import_format,
    lead_import_size_check,
)
from leads.importing.models import LeadImport, LeadImportStatus
from leads.importing.upsert import RowOutcome

logger = logging.getLogger("leads.imports")

IMPORT_PERMISSION = "leads.import_leads"
PREVIEW_ROWS = 100
PROGRESS_INTERVAL_SECONDS = 1.0
GONE_MESSAGE = "This import preview has expired, was cancelled or was already imported. Upload the file again."
WAITING_STATUSES = (LeadImportStatus.PREVIEWED, LeadImportStatus.PENDING, LeadImportStatus.RUNNING)


@dataclass
class PreviewRow:
    number: int
    cells: dict
    outcome: str
    errors: dict[str, list[str]]


@dataclass
class LeadImportPreview:
    result: LeadImportResult
    record: LeadImport | None  # None: the file has errors and was not kept
    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def background(self) -> bool:
        """The file has more rows than are imported at once: confirming queues it."""
        return not self.result.complete


def lead_import_allowed(*, user) -> bool:
    return user.has_perm(IMPORT_PERMISSION)


def lead_import_preview(*, user, upload, format: str | None) -> LeadImportPreview:
    """Save `upload` (a Django UploadedFile) and check it; see the module docstring. Raises LeadImportFileError."""
    key = lead_import_format(format=format, file_name=upload.name)
    lead_import_size_check(size=upload.size)
    stored_name = f"{uuid.uuid4().hex}.{key}"
    path = _stored_path(stored_name)
    _save_upload(upload, path)
    rows: list[PreviewRow] = []

    def keep(cells: dict, outcome: RowOutcome) -> None:
        if outcome.number <= PREVIEW_ROWS or (outcome.errors and len(rows) < PREVIEW_ROWS + conf.MAX_REPORTED_ERRORS):
            rows.append(PreviewRow(outcome.number, cells, str(outcome.outcome), outcome.errors))

    try:
        result = lead_file_import(
            source=_source(path, name=upload.name), format=key, dry_run=True, stop_after=conf.quick_rows(), on_row=keep
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if result.rejected:
        path.unlink(missing_ok=True)  # nothing to confirm: the file (contact data) is not kept
        return LeadImportPreview(result=result, record=None, rows=rows)
    record = LeadImport.objects.create(
        created_by=user,
        format=key,
        file_name=printable(Path(upload.name or "").name)[:255] or f"upload.{key}",
        file_size=upload.size,
        stored_name=stored_name,
        rows_checked=result.rows,
        rows_total=result.rows if result.complete else None,
        **_counts(result),
    )
    return LeadImportPreview(result=result, record=record, rows=rows)


def lead_import_confirm(*, import_id, user) -> LeadImport:
    """Import a previewed file: at once when small, else queued. Raises LeadImportFileError when it is gone."""
    record = _waiting(import_id, user=user)
    if record.rows_total is None:
        LeadImport.objects.filter(pk=record.pk, status=LeadImportStatus.PREVIEWED).update(
            status=LeadImportStatus.PENDING
        )
        _enqueue(record)
        record.refresh_from_db()
        return record
    claimed = LeadImport.objects.filter(pk=record.pk, status=LeadImportStatus.PREVIEWED).update(
        status=LeadImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        raise LeadImportFileError(GONE_MESSAGE)
    return _run(record)


def lead_import_cancel(*, import_id, user) -> LeadImport:
    record = _waiting(import_id, user=user)
    LeadImport.objects.filter(pk=record.pk, status=LeadImportStatus.PREVIEWED).update(
        status=LeadImportStatus.CANCELLED, finished_at=timezone.now(), stored_name=""
    )
    _delete_file(record.stored_name)
    record.refresh_from_db()
    return record


def lead_import_run(*, import_id) -> LeadImport | None:
    """The worker's side: claim a pending import and run it; the record holds the outcome."""
    claimed = LeadImport.objects.filter(pk=import_id, status=LeadImportStatus.PENDING).update(
        status=LeadImportStatus.RUNNING, started_at=timezone.now()
    )
    record = LeadImport.objects.filter(pk=import_id).first()
    if record is None or not claimed:
        logger.info("lead import not claimed import_id=%s", import_id)
        return record
    return _run(record)


def lead_imports_cleanup(*, max_age: timedelta = conf.PREVIEW_MAX_AGE, dry_run: bool = False) -> int:
    """Remove the files of previews (and dead runs) older than `max_age`; returns how many files.

    Abandoned previews become *expired*, imports stuck pending or running that long *failed*;
    files in LEAD_IMPORT_DIRECTORY that no waiting import owns go too.
    """
    cutoff = timezone.now() - max_age
    old = LeadImport.objects.filter(status__in=WAITING_STATUSES, created_at__lt=cutoff)
    removed = 0
    for record in old.only("pk", "status", "stored_name"):
        removed += bool(record.stored_name) and _stored_path(record.stored_name).exists()
        if dry_run:
            continue
        expired = record.status == LeadImportStatus.PREVIEWED
        LeadImport.objects.filter(pk=record.pk, status=record.status).update(
            status=LeadImportStatus.EXPIRED if expired else LeadImportStatus.FAILED,
            error_message="" if expired else "The import worker stopped before the import finished; nothing was saved.",
            finished_at=timezone.now(),
            stored_name="",
        )
        _delete_file(record.stored_name)
    folder = conf.import_directory()
    if folder.is_dir():
        owned = set(LeadImport.objects.filter(status__in=WAITING_STATUSES).values_list("stored_name", flat=True))
        for path in folder.iterdir():
            if path.is_file() and path.name not in owned and path.stat().st_mtime < cutoff.timestamp():
                removed += 1
                if not dry_run:
                    path.unlink(missing_ok=True)
    return removed


# Internals ----------------------------------------------------------------------------------------


def _stored_path(stored_name: str) -> Path:
    return conf.import_directory() / Path(stored_name).name


def _source(path: Path, *, name: str) -> LeadImportSource:
    return LeadImportSource(name=name, size=path.stat().st_size, open=lambda: path.open("rb"))


def _save_upload(upload, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # contact data: owner only
    with os.fdopen(descriptor, "wb") as destination:
        for chunk in upload.chunks():
            destination.write(chunk)


def _delete_file(stored_name: str) -> None:
    if stored_name:
        _stored_path(stored_name).unlink(missing_ok=True)


def _waiting(import_id, *, user) -> LeadImport:
    try:
        pk = uuid.UUID(str(import_id))
    except ValueError:
        raise LeadImportFileError(GONE_MESSAGE) from None
    record = LeadImport.objects.filter(pk=pk, status=LeadImportStatus.PREVIEWED, created_by=user).first()
    if record is None or record.created_at < timezone.now() - conf.PREVIEW_MAX_AGE:
        raise LeadImportFileError(GONE_MESSAGE)
    return record


def _enqueue(record: LeadImport) -> None:
    import_id = str(record.pk)

    def enqueue() -> None:
        from leads.tasks import run_lead_import  # the task module imports this one

        try:
            result = run_lead_import.enqueue(import_id)
        except Exception:
            logger.exception("lead import could not be queued import_id=%s", import_id)
            _finish(import_id, status=LeadImportStatus.FAILED, message="The import could not be queued; upload again.")
            return
        LeadImport.objects.filter(pk=import_id).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def _run(record: LeadImport) -> LeadImport:
    path = _stored_path(record.stored_name)
    progress = _Progress(record.pk)
    try:
        if not record.stored_name or not path.exists():
            raise LeadImportFileError("The uploaded file is no longer there; upload it again.")
        result = lead_file_import(
            source=_source(path, name=record.file_name), format=record.format, on_progress=progress
        )
    except LeadImportFileError as error:
        _finish(record.pk, status=LeadImportStatus.FAILED, message=f"Nothing was imported. {error.message}")
    except Exception:
        logger.exception("lead import failed import_id=%s", record.pk)
        _finish(record.pk, status=LeadImportStatus.FAILED, message="The import failed unexpectedly; nothing was saved.")
    else:
        failed = not result.saved
        message = f"Nothing was imported: {result.rejected:,} row(s) have errors." if failed else ""
        _finish(
            record.pk,
            status=LeadImportStatus.FAILED if failed else LeadImportStatus.COMPLETED,
            message=message,
            rows_checked=result.rows,
            rows_total=result.rows,
            errors=[{"row": error.row, "messages": list(error.messages)} for error in result.errors],
            **_counts(result),
        )
    finally:
        path.unlink(missing_ok=True)
    record.refresh_from_db()
    return record


def _finish(import_id, *, status: str, message: str, **fields) -> None:
    LeadImport.objects.filter(pk=import_id).update(
        status=status,
        error_message=message,
        finished_at=timezone.now(),
        stored_name="",
        progress=100 if status == LeadImportStatus.COMPLETED else 0,
        **fields,
    )


def _counts(result: LeadImportResult) -> dict[str, int]:
    return {
        "new_count": result.new,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "rejected_count": result.rejected,
    }


class _Progress:
    """Writes the rows checked to the record about once a second (while writing, the import's own
    transaction would hide the updates, so the record then says 50% until it is done)."""

    def __init__(self, import_id):
        self.import_id = import_id
        self.last = 0.0

    def __call__(self, phase: str, rows: int) -> None:
        now = time.monotonic()
        if phase == "checked":
            LeadImport.objects.filter(pk=self.import_id).update(rows_checked=rows, rows_total=rows, progress=50)
        elif phase == "checking" and now - self.last >= PROGRESS_INTERVAL_SECONDS:
            self.last = now
            LeadImport.objects.filter(pk=self.import_id).update(rows_checked=rows)
