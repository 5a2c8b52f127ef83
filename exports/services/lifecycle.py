"""Starting, queueing, re-running, cancelling and deleting exports."""

import logging

from django.db import transaction
from django.utils import timezone

from exports.errors import ExportStateError
from exports.models import Export, ExportStatus
from exports.services.access import check_can_manage
from exports.services.creation import ExportRequest, export_create, export_is_immediate
from exports.services.files import stored_file_delete
from exports.services.running import export_run

logger = logging.getLogger("exports.services")


def export_start(*, request: ExportRequest) -> Export:
    """Create an export and run it now (up to QUICK_EXPORT_LIMIT rows) or queue it for the worker.

    `request.background` overrides the size rule (True: always queue, False: always run now).
    The returned record is completed or failed when it ran at once, pending when it was queued.
    """
    return _run_or_enqueue(export_create(request=request), background=request.background)


def export_enqueue(*, export: Export) -> None:
    """Queue the export's task once the current transaction commits; the task id is kept on the record.

    The task receives only the id, so the worker always reads the committed record.
    """
    export_id = str(export.pk)

    def enqueue() -> None:
        from exports.tasks import run_export  # the task module imports the services

        try:
            result = run_export.enqueue(export_id)
        except Exception:
            logger.exception("export could not be queued export_id=%s", export_id)
            Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
                status=ExportStatus.FAILED,
                finished_at=timezone.now(),
                error_message="The export could not be queued for the background worker; re-run it.",
            )
            return
        Export.objects.filter(pk=export_id).update(task_id=str(result.id)[:64])
        logger.info("export queued export_id=%s task_id=%s", export_id, result.id)

    transaction.on_commit(enqueue)


def export_rerun(*, export: Export, user, source: str | None = None) -> Export:
    """A new export with the same spec, columns, format, data type and options, checked afresh.

    Permissions, filters and the row limit are checked again: a user who lost the contact-info
    permission, or a spec that now matches too many leads, is refused as for a new export.
    """
    check_can_manage(export=export, user=user)
    return export_start(request=ExportRequest.again(export, user=user, source=source))


def export_cancel(*, export: Export, user) -> Export:
    """Cancel a pending export (the worker will skip it) or a running one (the writer stops at its next progress)."""
    check_can_manage(export=export, user=user)
    cancelled = Export.objects.filter(pk=export.pk, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]).update(
        status=ExportStatus.CANCELLED, finished_at=timezone.now(), error_message=f"Cancelled by {user.get_username()}."
    )
    export.refresh_from_db()
    if not cancelled:
        raise ExportStateError(f"Only pending or running exports can be cancelled; this one is {export.status}.")
    logger.info("export cancelled export_id=%s user=%s", export.pk, user.get_username())
    return export


def export_delete(*, export: Export, user) -> None:
    """Delete the export's file and its record; a running export must be cancelled first."""
    check_can_manage(export=export, user=user)
    with transaction.atomic():
        # Locking the row makes a worker's claim wait, then find nothing to claim.
        locked = Export.objects.select_for_update().filter(pk=export.pk).first()
        if locked is None:
            return
        if locked.status == ExportStatus.RUNNING:
            raise ExportStateError("A running export cannot be deleted; cancel it first.")
        stored_file_delete(locked.file.name)
        locked.delete()
    logger.info("export deleted export_id=%s user=%s", export.pk, user.get_username())


def _run_or_enqueue(export: Export, *, background: bool | None = None) -> Export:
    if background is False or (background is None and export_is_immediate(export)):
        return export_run(export_id=export.pk) or export
    export_enqueue(export=export)
    return export
