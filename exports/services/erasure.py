"""Erasure requests reach the export files: every unexpired file that held an erased lead is expired.

`leads.erasure.person_erase` sends `contacts_erased` with the erased leads' ids; this receiver reads
each completed export's recorded lead ids (exports.lead_ids) and expires the files that held any of
them: the file is deleted, the record says "expired" with the reason in the export history, and a
download answers 410 Gone. A lead export made before lead ids were recorded cannot be checked: it
is expired when it included contact information (it may hold the person).
"""

import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from exports.datasets.registry import dataset_keys, get_dataset
from exports.lead_ids import ExportLeadIds, ids_intersect
from exports.models import Export, ExportStatus
from exports.services.files import stored_file_delete

logger = logging.getLogger("exports.services")

ERASED_MESSAGE = "Expired on {day} by an erasure request ({user}): this file held contact data of an erased person."


def exports_expire_for_erasure(*, lead_ids, user=None) -> int:
    """Expire the unexpired export files that held any of `lead_ids`; returns how many were expired."""
    wanted = set(lead_ids)
    if not wanted:
        return 0
    lead_types = _lead_types()
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


def _lead_types() -> list[str]:
    """The data types whose rows are leads (their datasets record lead ids)."""
    from exports.datasets.base import Dataset

    return [key for key in dataset_keys() if get_dataset(key).lead_ids is not Dataset.lead_ids]


def on_contacts_erased(sender, *, lead_ids, user=None, **kwargs) -> int:
    return exports_expire_for_erasure(lead_ids=lead_ids, user=user)
