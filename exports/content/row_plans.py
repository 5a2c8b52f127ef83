"""Row plans: which ORM fields to select for some export columns, and how each values_list row becomes cells."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from exports.content.columns import CachedObject, Column, ValueMode


@dataclass(frozen=True)
class RowPlan:
    """How to turn one values_list row into cell values, one per column, in column order.

    `firsts` (each column's first field's position) and `conversions` ((column index, field
    positions, convert) for converted columns) let a format build a faster reader of its own.
    """

    fields: tuple[str, ...]
    read: Callable[[tuple], Sequence]
    firsts: tuple[int, ...] = ()
    conversions: tuple[tuple[int, tuple[int, ...], Callable], ...] = ()


def row_plan(columns: Sequence[Column], mode: ValueMode) -> RowPlan:
    """The ORM fields to select for `columns` in `mode` and the function that makes each row's cells.

    When every column reads one field as is (the common case), the values_list tuple is already
    the row: no per-row Python work at all.
    """
    fields: list[str] = []
    positions: dict[str, int] = {}

    def position(path: str) -> int:
        if path not in positions:
            positions[path] = len(fields)
            fields.append(path)
        return positions[path]

    readers = [column.reader(mode) for column in columns]
    # Single-field columns first, in column order, so a plan without conversions is the identity.
    firsts = [position(reader.fields[0]) for reader in readers]
    conversions = []
    for index, reader in enumerate(readers):
        if reader.convert is not None:
            convert = reader.convert.fresh() if isinstance(reader.convert, CachedObject) else reader.convert
            conversions.append((index, tuple(position(path) for path in reader.fields), convert))

    identity = not conversions and firsts == list(range(len(columns))) and len(fields) == len(columns)
    if identity:
        return RowPlan(fields=tuple(fields), read=_identity, firsts=tuple(firsts))
    pick = itemgetter(*firsts) if len(firsts) > 1 else (lambda row: (row[firsts[0]],))

    singles = [(index, paths[0], convert) for index, paths, convert in conversions if len(paths) == 1]
    multiples = [(index, paths, convert) for index, paths, convert in conversions if len(paths) > 1]

    def read(row: tuple) -> list:
        cells = list(pick(row))
        for index, path, convert in singles:
            cells[index] = convert(row[path])
        for index, paths, convert in multiples:
            cells[index] = convert(*[row[path] for path in paths])
        return cells

    return RowPlan(fields=tuple(fields), read=read, firsts=tuple(firsts), conversions=tuple(conversions))


def _identity(row: tuple) -> tuple:
    return row
