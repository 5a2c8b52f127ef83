"""The do-not-contact list in and out as CSV: keyed hashes out, hashes or raw values in.

Export: `kind,key,reason,added_by,created_at`, one entry a line; the file holds no contact data
(the keys are HMAC-SHA256 with this site's SUPPRESSION_HASH_KEY, so it re-imports only into a site
with the same secret). Import reads a header row and either `kind,key` (a list exported from here)
or `email` and/or `phone` (raw values, hashed on the way in and never stored); an optional `reason`
column (opted_out, phone_request, erasure, manual) overrides the default reason.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from leads.suppression import keys_for, suppress_keys
from leads.suppression_models import Suppression, SuppressionKind, SuppressionReason

EXPORT_HEADER = ("kind", "key", "reason", "added_by", "created_at")
MAX_IMPORT_ROWS = 200_000
_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class ListImportResult:
    added: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


def suppression_list_csv() -> Iterator[str]:
    """The list as CSV text, line by line (header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    entries = Suppression.objects.select_related("added_by").order_by("created_at", "pk")
    for entry in entries.iterator(chunk_size=2_000):
        added_by = entry.added_by.get_username() if entry.added_by else ""
        writer.writerow((entry.kind, entry.key, entry.reason, added_by, entry.created_at.isoformat()))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def suppression_list_import(*, text: str, reason: str = SuppressionReason.MANUAL, added_by=None) -> ListImportResult:
    """Add the entries of a CSV file (see the module docstring); rows with errors are skipped and listed."""
    result = ListImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {name.strip().lower() for name in reader.fieldnames or ()}
    if not ({"kind", "key"} <= header or header & {"email", "phone"}):
        result.errors.append("The first row must name the columns: kind and key, or email and/or phone.")
        return result
    pairs_by_reason: dict[str, list[tuple[str, str]]] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_IMPORT_ROWS + 1:
            result.errors.append(f"Only the first {MAX_IMPORT_ROWS:,} rows were read.")
            break
        row = {str(name).strip().lower(): (value or "").strip() for name, value in row.items() if name}
        row_reason = row.get("reason") or reason
        if row_reason not in SuppressionReason.values:
            result.errors.append(f"Line {number}: unknown reason {row_reason!r}.")
            continue
        pairs, problem = _row_pairs(row)
        if problem:
            result.errors.append(f"Line {number}: {problem}")
            continue
        pairs_by_reason.setdefault(row_reason, []).extend(pairs)
    wanted = {key for pairs in pairs_by_reason.values() for _, key in pairs}
    existing = set(Suppression.objects.filter(key__in=wanted).values_list("key", flat=True))
    for row_reason, pairs in pairs_by_reason.items():
        suppress_keys(pairs, reason=row_reason, added_by=added_by)
    result.already = len(existing)
    result.added = len(wanted - existing)
    return result


def _row_pairs(row: dict) -> tuple[list[tuple[str, str]], str]:
    if row.get("key"):
        kind, key = row.get("kind", "").lower(), row["key"].lower()
        if kind not in SuppressionKind.values:
            return [], f"kind must be email or phone, not {kind!r}."
        if not _KEY.match(key):
            return [], "key must be 64 hexadecimal characters (a key exported from a do-not-contact list)."
        return [(kind, key)], ""
    pairs = keys_for(email=row.get("email", ""), phone=row.get("phone", ""))
    if not pairs:
        return [], "no e-mail address, phone number or key."
    return pairs, ""
