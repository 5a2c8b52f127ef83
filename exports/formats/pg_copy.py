"""CSV rows straight from PostgreSQL's COPY, byte for byte what the portable CSV path writes.

The portable path (exports.formats.delimited) reads rows into Python and encodes them with the
csv module. On PostgreSQL the same bytes can come from `COPY (SELECT ...) TO STDOUT WITH CSV`,
several times faster, when the SELECT already produces each field's final text:

- the query is the one lead_list builds for the spec (the same FilterSet, joins, order, limit),
  with each column replaced by an SQL expression: labels for statuses, `to_char` in the site's
  time zone for dates (whole seconds, as "YYYY-MM-DD HH:MM:SS"), `numeric::text` for prices,
  the formula-injection quote where leads.cell_safety adds one (its rule, generated as a
  regular expression), and NULL for empty text
  (COPY quotes an empty string, the csv module does not);
- COPY ends rows with LF and the csv module with CRLF (RFC 4180): PostgreSQL sends one message per
  row, so each row's final LF becomes CRLF; line breaks inside quoted fields are left alone;
- COPY quotes a field that is exactly a backslash and a period, the csv module does not: such a
  field is unquoted again.
Quoting otherwise agrees: both quote a field holding a comma, a double quote, CR or LF, and
double the quotes inside.

Used for readable CSV exports of at least two columns (a one-column row with an empty value is
written as "" by the csv module); update-ready files and other databases take the portable
path. tests/exports/formats/test_pg_copy.py proves the bytes equal on PostgreSQL. Set
EXPORT_CSV_COPY=False to always use the portable path.
"""

import re
from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, F, Func, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from exports import conf
from exports.columns import CellKind, Column, ValueMode
from exports.formats.base import PROGRESS_EVERY, ProgressCallback
from leads.cell_safety import postgres_pattern
from leads.models import LeadStatus
from leads.selectors import lead_list

_NEEDS_QUOTE = postgres_pattern()

# A field that is exactly \. (quoted by COPY only): after a comma or a row start, before a comma or a row end.
# Inside a quoted field every quote is doubled, so this never matches there.
_BACKSLASH_DOT = re.compile(rb'(?:(?<=,)|(?<=\n)|^)"\\\."(?=,|\r\n|$)')


class Neutralised(Func):
    """NULL for empty text; a leading quote where safety.neutralise adds one (the pattern is generated from it)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        value = f"NULLIF(({sql}), '')"
        return (
            f"CASE WHEN {value} ~ %s THEN '''' || {value} ELSE {value} END",
            [*params, _NEEDS_QUOTE, *params, *params],
        )


class LocalTimestampText(Func):
    """A timestamp as "YYYY-MM-DD HH:MM:SS" wall-clock time in a time zone (seconds truncated)."""

    output_field = TextField()

    def __init__(self, expression, *, zone: str):
        super().__init__(expression)
        self.zone = zone

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char(({sql}) AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI:SS')", [*params, self.zone]


def copy_supported(*, columns: Sequence[Column], mode: ValueMode) -> bool:
    return (
        conf.csv_copy()
        and connection.vendor == "postgresql"
        and mode == ValueMode.READABLE
        and len(columns) >= 2
        and all(column.copy_sql is not None or _plain(column) for column in columns)
    )


def _plain(column: Column) -> bool:
    """One field, as it is (the status label is written in SQL too); other conversions need Python."""
    reader = column.readable
    return len(reader.fields) == 1 and (reader.convert is None or column.key == "status")


def _expression(column: Column, zone: str):
    if column.copy_sql is not None:
        return Neutralised(column.copy_sql(zone))
    path = column.readable.fields[0]
    kind = column.kind_for(ValueMode.READABLE)
    if column.key == "status":
        labels = [When(status=code, then=Value(label)) for code, label in LeadStatus.choices]
        return Neutralised(Case(*labels, default=F("status"), output_field=CharField()))
    if kind == CellKind.TEXT:
        return Neutralised(F(path))
    if kind == CellKind.DATETIME:
        return LocalTimestampText(F(path), zone=zone)
    if kind in (CellKind.INTEGER, CellKind.MONEY):
        return Cast(F(path), TextField())
    raise ValueError(f"COPY cannot write {kind} columns.")


def copy_csv_rows(
    *, filters: Mapping, columns: Sequence[Column], write: Callable[[bytes], object], on_progress: ProgressCallback
) -> int:
    """Write the rows (no header) of a readable CSV export through COPY; returns the number of rows."""
    zone = timezone.get_default_timezone_name()
    names = [f"copy_column_{index}" for index in range(len(columns))]
    queryset = lead_list(filters=filters).annotate(
        **{name: _expression(column, zone) for name, column in zip(names, columns, strict=True)}
    )
    try:
        sql, params = queryset.values_list(*names).query.sql_with_params()
    except EmptyResultSet:
        # The spec can match nothing (e.g. a location name that does not exist: `IN ()`): no rows.
        on_progress(0)
        return 0
    count = 0
    batch: list = []
    with connection.cursor() as cursor:
        # COPY takes no bind parameters: the driver's client-side binding writes them as literals.
        query = cursor.cursor.mogrify(sql, params)
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for data in copy:  # one CopyData message per row, ending in LF
                batch.append(bytes(data[:-1]))  # a copy: the driver may reuse its buffer
                count += 1
                if not count % PROGRESS_EVERY:
                    _write_batch(batch, write)
    _write_batch(batch, write)
    # Progress only once COPY is over: on_progress may query the database (the export's progress and
    # heartbeat), and while COPY streams, a query on the same connection waits for the driver's lock forever.
    on_progress(count)
    return count


def _write_batch(batch: list, write: Callable[[bytes], object]) -> None:
    if not batch:
        return
    rows = b"\r\n".join(batch) + b"\r\n"
    batch.clear()
    if b'"\\."' in rows:
        rows = _BACKSLASH_DOT.sub(rb"\\.", rows)
    write(rows)
