"""Which leads an export file holds, kept compactly beside its record (for erasure requests).

The ids are sorted, delta-encoded as LEB128 varints and zlib-compressed: a million consecutive-ish
ids take a few kilobytes. `export_write` records them for every dataset whose rows are leads
(the spec's leads read just before and just after the file is written, so a lead the file holds is
among them even when it changed meanwhile); an erasure (`exports.erasure`) reads them back to find
the files that hold an erased person.
"""

import zlib
from collections.abc import Iterable, Iterator

from django.db import models

MAGIC = b"LI1"


def ids_encode(ids: Iterable[int]) -> bytes:
    """Sorted, de-duplicated ids as compressed varint deltas."""
    out = bytearray()
    previous = 0
    for value in sorted(set(ids)):
        delta = value - previous
        previous = value
        while delta >= 0x80:
            out.append((delta & 0x7F) | 0x80)
            delta >>= 7
        out.append(delta)
    return MAGIC + zlib.compress(bytes(out), 6)


def ids_decode(blob: bytes) -> Iterator[int]:
    """The ids `ids_encode` stored, ascending."""
    blob = bytes(blob)
    if not blob.startswith(MAGIC):
        raise ValueError("not an encoded lead id set")
    data = zlib.decompress(blob[len(MAGIC) :])
    value = shift = total = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        total += value
        yield total
        value = shift = 0


def ids_intersect(blob: bytes, wanted: set[int]) -> bool:
    """True when any id of the encoded set is in `wanted`."""
    if not wanted:
        return False
    highest = max(wanted)
    for value in ids_decode(blob):
        if value in wanted:
            return True
        if value > highest:
            return False
    return False


class ExportLeadIds(models.Model):
    """The ids of the leads one export file holds (compressed; see the module docstring)."""

    export = models.OneToOneField("exports.Export", on_delete=models.CASCADE, primary_key=True, related_name="lead_ids")
    ids = models.BinaryField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "export's lead ids"
        verbose_name_plural = "exports' lead ids"

    def __str__(self) -> str:
        return f"{self.count} lead ids of export {self.export_id}"


def export_lead_ids_record(*, export, ids: Iterable[int]) -> None:
    """Store the lead ids of `export`'s file, adding to those an earlier attempt of the same export stored.

    An export started again (an erasure restarts the exports being written; a dead worker's export
    is retried) may still have its previous writer finishing: whichever of them records last, the
    record holds every lead either file could hold, never fewer. The export's row is locked meanwhile.
    """
    from django.db import transaction

    from exports.models import Export

    unique = set(ids)
    with transaction.atomic():
        Export.objects.select_for_update().filter(pk=export.pk).exists()
        earlier = ExportLeadIds.objects.filter(export_id=export.pk).values_list("ids", flat=True).first()
        if earlier is not None:
            unique.update(ids_decode(earlier))
        ExportLeadIds.objects.update_or_create(
            export_id=export.pk, defaults={"ids": ids_encode(unique), "count": len(unique)}
        )
