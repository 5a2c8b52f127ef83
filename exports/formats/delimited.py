"""CSV: UTF-8 (optionally with a byte-order mark so Excel reads accents right), RFC 4180, header row.

RFC 4180 as Python's csv "excel" dialect writes it: comma separated, CRLF line ends, fields
quoted only when they hold a comma, a double quote or a line break, quotes doubled. Text cells
are neutralised against formula injection (see leads.cell_safety). When the dataset offers
it (readable lead exports on PostgreSQL), the rows come from COPY, byte for byte the same
(exports.formats.pg_copy). A subclass may change `dialect` (e.g. "excel-tab"); COPY is only used
for the "excel" dialect.

Only the rows are written: a dataset's tables and documents need a format that holds them.
"""

import csv
import io
from collections.abc import Callable, Sequence
from typing import BinaryIO

from django.utils import timezone

from exports.content.columns import CellKind
from exports.datasets.base import Dataset, Layout, Style
from exports.formats.base import ExportFormat, ProgressCallback, RowSink, pump
from leads.cell_safety import FIRST_CHARACTERS, neutralise

BOM = "\ufeff"


def csv_row_encoder(layout: Layout) -> Callable[[Sequence], list]:
    """A function turning a row of cell values into CSV fields (ints and Decimals are written by csv)."""
    kinds = layout.kinds
    text = [index for index, kind in enumerate(kinds) if kind == CellKind.TEXT]
    dates = [index for index, kind in enumerate(kinds) if kind == CellKind.DATETIME]
    zone = timezone.get_default_timezone()
    first = FIRST_CHARACTERS
    raw = layout.raw

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
    def __init__(self, *, destination: BinaryIO, layout: Layout, bom: bool, dialect: str = "excel"):
        # newline="" hands line ends to the csv module, which writes RFC 4180's CRLF.
        self._text = io.TextIOWrapper(destination, encoding="utf-8", newline="")
        if bom:
            self._text.write(BOM)
        self._writer = csv.writer(self._text, dialect=dialect)
        self._writer.writerow(layout.names)
        self._encode = csv_row_encoder(layout)
        self._writerow = self._writer.writerow

    def write_row(self, cells: Sequence) -> None:
        self._writerow(self._encode(cells))

    def flush(self) -> None:
        self._text.flush()

    def finish(self) -> None:
        self._text.flush()
        self._text.detach()  # leave the caller's binary file open


class CsvFormat(ExportFormat):
    key = "csv"
    label = "CSV"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    dialect = "excel"

    def write(self, *, dataset: Dataset, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        layout = dataset.layout(Style.TABLE)
        sink = CsvSink(destination=destination, layout=layout, bom=dataset.context.csv_bom, dialect=self.dialect)
        if self.dialect == "excel":
            sink.flush()  # the header goes out first: a faster route writes the rows to the destination itself
            copied = dataset.copy_csv_rows(write=destination.write, on_progress=on_progress)
            if copied is not None:
                sink.finish()
                return copied
        rows = pump(dataset.rows(Style.TABLE), [sink], on_progress)
        sink.finish()
        return rows
