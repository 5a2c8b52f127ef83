"""Erasure requests reach the export files: every unexpired file that held an erased lead is expired.

`leads.erasure.person_erase` sends `contacts_erased` with the erased leads' ids; this receiver reads
each completed export's recorded lead ids (exports.records.lead_ids) and expires the files that held any of
them: the file is deleted, the record says "expired" with the reason in the export history, and a
download answers 410 Gone. A lead export made before lead ids were recorded cannot be checked: it
is expired when it included contact information (it may hold the person).

An export being written when the person is erased may have read their leads before the erasure
committed (its rows come from one query), and its file would then hold them. Every running lead
export is therefore started again: its record goes back to pending (the writer's next progress
update, or its completion, finds the record no longer its own and discards the file) and it is
queued again, so the file it finally keeps is read after the erasure. Running exports are restarted
before the completed ones are expired, so a writer that completes in between is among the latter.
A pending export has not read anything yet and needs nothing.
"""

import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from exports.datasets.registry import dataset_keys, get_dataset
from exports.models import Export, ExportStatus
from exports.records.lead_ids import ExportLeadIds, ids_intersect
from exports.services.files import stored_file_delete
from exports.services.lifecycle import export_enqueue

logger = logging.getLogger("exports.services")

ERASED_MESSAGE = "Expired on {day} by an erasure request ({user}): this file held contact data of an erased person."
RESTARTED_MESSAGE = (
    "Started again on {day} by an erasure request ({user}): the file being written could hold an erased "
    "person's contact data."
)


def exports_expire_for_erasure(*, lead_ids, user=None) -> int:
    """Expire the unexpired export files that held any of `lead_ids`; returns how many were expired."""
    wanted = set(lead_ids)
    if not wanted:
        return 0
    lead_types = _lead_types()
    exports_restart_for_erasure(data_types=lead_types, user=user)
    candidates = Export.objects.filter(status=ExportStatus.COMPLETED, data_type__in=lead_types).annotate(
        recorded=Exists(ExportLeadIds.objects.filter(export=OuterRef("pk")))
    )
    expired = 0
    message = ERASED_MESSAGE.format(
        day=timezone.localdate().isoformat(), user=user.get_username() if user is not None else "system"
    )
    for export in candidates.only("pk", "file", "include_contact_info").iterator(chunk_size=200):
        if export.recorded:
            blob = ExportLeadIds.objects.filter(export_id=export.pk).values_list("ids", flat=True).first()
            held = blob is not None and ids_intersect(blob, wanted)
        else:
            held = export.include_contact_info
        if not held:
            continue
        if export.file.name:
            stored_file_delete(export.file.name)
        expired += Export.objects.filter(pk=export.pk, status=ExportStatus.COMPLETED).update(
            status=ExportStatus.EXPIRED, file="", error_message=message
        )
        logger.info("export expired by erasure export_id=%s", export.pk)
    return expired


def exports_restart_for_erasure(*, data_types: list[str], user=None) -> int:
    """Queue again every running export of these data types; returns how many (see the module docstring)."""
    message = RESTARTED_MESSAGE.format(
        day=timezone.localdate().isoformat(), user=user.get_username() if user is not None else "system"
    )
    running = Export.objects.filter(status=ExportStatus.RUNNING, data_type__in=data_types)
    restarted = 0
    for export in running.only("pk", "attempts").iterator(chunk_size=200):
        # Conditional on the attempt read: one that completed (or was restarted) meanwhile is left alone.
        mine = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, attempts=export.attempts)
        if mine.back_to_pending(error_message=message):
            export_enqueue(export=export)
            restarted += 1
            logger.info("export restarted by erasure export_id=%s", export.pk)
    return restarted


def _lead_types() -> list[str]:
    """The data types whose rows are leads (their datasets record lead ids)."""
    from exports.datasets.base import Dataset

    return [key for key in dataset_keys() if get_dataset(key).lead_ids is not Dataset.lead_ids]


def on_contacts_erased(sender, *, lead_ids, user=None, **kwargs) -> int:
    return exports_expire_for_erasure(lead_ids=lead_ids, user=user)
