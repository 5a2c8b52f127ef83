"""CSV: UTF-8 (optionally with a byte-order mark so Excel reads accents right), RFC 4180, header row.

RFC 4180 as Python's csv "excel" dialect writes it: comma separated, CRLF line ends, fields
quoted only when they hold a comma, a double quote or a line break, quotes doubled. Text cells
are neutralised against formula injection (see leads.cell_safety). On PostgreSQL, readable
exports get their rows from COPY, byte for byte the same (exports.formats.pg_copy).
"""

import csv
import io
from collections.abc import Callable, Sequence
from typing import BinaryIO

from django.utils import timezone

from exports.columns import CellKind, Column, ValueMode
from exports.formats.base import ExportContext, ExportFormatWriter, ProgressCallback, RowSink, pump
from exports.formats.pg_copy import copy_csv_rows, copy_supported
from exports.rows import lead_rows
from leads.cell_safety import FIRST_CHARACTERS, neutralise

BOM = "\ufeff"


def csv_row_encoder(columns: Sequence[Column], mode: ValueMode) -> Callable[[Sequence], list]:
    """A function turning a row of cell values into CSV fields (ints and Decimals are written by csv)."""
    kinds = [column.kind_for(mode) for column in columns]
    text = [index for index, kind in enumerate(kinds) if kind == CellKind.TEXT]
    dates = [index for index, kind in enumerate(kinds) if kind == CellKind.DATETIME]
    zone = timezone.get_default_timezone()
    first = FIRST_CHARACTERS
    raw = mode != ValueMode.READABLE

    def encode(cells: Sequence) -> list:
        cells = list(cells)
        for index in text:
            value = cells[index]
            if value and value[0] in first:  # the set lookup spares neutralise most cells
                cells[index] = neutralise(value)
        for index in dates:
            value = cells[index]
            if value is not None:
                # Readable: "2026-11-27 09:30:00" (zone named in the header); raw: ISO 8601 with offset.
                local = value.astimezone(zone)
                cells[index] = local.isoformat() if raw else local.isoformat(" ", "seconds")[:19]
        return cells

    return encode


class CsvSink(RowSink):
    def __init__(self, *, destination: BinaryIO, columns: Sequence[Column], mode: ValueMode, bom: bool):
        # newline="" hands line ends to the csv module, which writes RFC 4180's CRLF.
        self._text = io.TextIOWrapper(destination, encoding="utf-8", newline="")
        if bom:
            self._text.write(BOM)
        self._writer = csv.writer(self._text, dialect="excel")
        self._writer.writerow([column.header_for(mode) for column in columns])
        self._encode = csv_row_encoder(columns, mode)
        self._writerow = self._writer.writerow

    def write_row(self, cells: Sequence) -> None:
        self._writerow(self._encode(cells))

    def finish(self, *, rows_written: int) -> None:
        self._text.flush()
        self._text.detach()  # leave the caller's binary file open


class CsvFormat(ExportFormatWriter):
    key = "csv"
    label = "CSV"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, *, context: ExportContext, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        columns, mode = context.table_columns, context.table_mode
        sink = CsvSink(destination=destination, columns=columns, mode=mode, bom=context.csv_bom)
        if copy_supported(columns=columns, mode=mode):
            sink.finish(rows_written=0)  # the header; PostgreSQL writes the rows
            return copy_csv_rows(
                filters=context.filters, columns=columns, write=destination.write, on_progress=on_progress
            )
        rows = pump(lead_rows(filters=context.filters, columns=columns, mode=mode), [sink], on_progress)
        sink.finish(rows_written=rows)
        return rows
