"""Lead rows for exports, streamed with bounded memory.

One query per pass: `values_list` over exactly the fields the columns read (location and category
joined in the same query), read with `.iterator(chunk_size=...)` (a server-side cursor on
PostgreSQL), so no model instances are built, no query runs per row, and memory does not grow
with the number of rows.
"""

from collections.abc import Iterator, Mapping, Sequence

from django.utils import timezone

from exports.content.columns import CellKind, Column, ValueMode
from exports.content.row_plans import row_plan
from exports.content.transforms import SUPPRESSED_FIELD, Transforms, columns_transformed
from leads.selectors import lead_list

ROW_CHUNK_SIZE = 2000


def lead_rows(
    *, filters: Mapping, columns: Sequence[Column], mode: ValueMode, chunk_size: int = ROW_CHUNK_SIZE
) -> Iterator[Sequence]:
    """One sequence of cell values per lead the spec selects, in the list's order (newest found first)."""
    plan = row_plan(columns, mode)
    rows = _leads(filters, plan.fields).values_list(*plan.fields).iterator(chunk_size=chunk_size)
    return map(plan.read, rows)


def lead_value_rows(*, filters: Mapping, fields: Sequence[str], chunk_size: int = ROW_CHUNK_SIZE) -> Iterator[tuple]:
    """The values_list tuples of `fields` for the leads the spec selects (for a format's own RowPlan reader)."""
    return _leads(filters, fields).values_list(*fields).iterator(chunk_size=chunk_size)


def preview_rows(
    *, filters: Mapping, columns: Sequence[Column], limit: int = 10, transforms: Transforms | None = None
) -> list[list[str]]:
    """The first `limit` rows as display strings, for the admin's intermediate page (readable values).

    Contact cells of leads on the do-not-contact list are empty, as in the file; `transforms` (its
    contact mode, say) apply as they would in the file.
    """
    columns = columns_transformed(columns, ValueMode.READABLE, transforms or Transforms())
    plan = row_plan(columns, ValueMode.READABLE)
    rows = _leads(filters, plan.fields).values_list(*plan.fields)[:limit]
    kinds = [column.kind for column in columns]
    return [[_display(value, kind) for value, kind in zip(plan.read(row), kinds, strict=True)] for row in rows]


def _leads(filters: Mapping, fields: Sequence[str]):
    """The spec's leads; flagged when a (contact) column reads whether the lead is suppressed."""
    leads = lead_list(filters=filters)
    return leads.with_suppression_flag() if SUPPRESSED_FIELD in fields else leads


def _display(value, kind: CellKind) -> str:
    if value is None:
        return ""
    if kind == CellKind.DATETIME:
        return local_datetime_text(value)
    return str(value)


def local_datetime_text(value) -> str:
    """An aware datetime as "YYYY-MM-DD HH:MM:SS" in the site's time zone (seconds, no offset)."""
    return value.astimezone(timezone.get_default_timezone()).isoformat(" ", "seconds")[:19]
