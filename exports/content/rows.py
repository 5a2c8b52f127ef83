"""Lead rows for exports, streamed with bounded memory.

One query per pass: `values_list` over exactly the fields the columns read (location and category
joined in the same query), read with `.iterator(chunk_size=...)` (a server-side cursor on
PostgreSQL), so no model instances are built, no query runs per row, and memory does not grow
with the number of rows.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

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
    plan = _DisplayPlan(columns, transforms or Transforms())
    return [plan(row) for row in _leads(filters, plan.fields).values_list(*plan.fields)[:limit]]


def preview_table(
    *, filters: Mapping, columns: Sequence[Column], limit: int, transforms: Transforms, contact_modes: Sequence[str]
) -> list[list[tuple[str, str, dict[str, str]]]]:
    """The preview's rows as (column key, text, {contact mode: text}) cells.

    Contact cells carry their text in each of `contact_modes` (those the user may choose, never
    plain for a user who may not see it), so the page shows a change of mode without a reload. The
    leads are read once: every mode shows the same rows.
    """
    plan = _DisplayPlan(columns, transforms)
    contact = {index for index, column in enumerate(columns) if column.is_contact}
    modes = {mode: _DisplayPlan(columns, replace(transforms, contact_mode=mode)) for mode in contact_modes}
    modes = {mode: other for mode, other in modes.items() if contact and other.fields == plan.fields}
    keys = [column.key for column in columns]
    table = []
    for row in _leads(filters, plan.fields).values_list(*plan.fields)[:limit]:
        by_mode = {mode: other(row) for mode, other in modes.items()}
        cells = zip(keys, plan(row), strict=True)
        table.append(
            [
                (key, text, {mode: texts[index] for mode, texts in by_mode.items()} if index in contact else {})
                for index, (key, text) in enumerate(cells)
            ]
        )
    return table


class _DisplayPlan:
    """Reads a values_list row of `fields` into the cells' display strings, with `transforms` applied."""

    def __init__(self, columns: Sequence[Column], transforms: Transforms):
        transformed = columns_transformed(columns, ValueMode.READABLE, transforms)
        self._plan = row_plan(transformed, ValueMode.READABLE)
        self._kinds = [column.kind for column in transformed]
        self.fields = tuple(self._plan.fields)

    def __call__(self, row) -> list[str]:
        return [_display(value, kind) for value, kind in zip(self._plan.read(row), self._kinds, strict=True)]


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
