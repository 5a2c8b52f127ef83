"""JSON: one document, written as a stream, one row at a time (orjson).

    {"metadata": {generated_at, generated_by, export_id, data_type, filters, filters_summary,
                  [update_ready, include_contact_info,] columns, format_version, count},
     <each of the dataset's documents, e.g. "analytics": {...}>,
     "<rows key>": [{...}, ...]}

For leads (rows key "leads"): the column keys, raw status codes, nested `location` {id, name,
site_code, region} and `category` {id, name, code} objects, ISO 8601 date-times in the site's
time zone with their offset, and money as strings with two decimals (exact, as in the
analytics). An update-ready export writes the flat import columns instead (location = site
code, category = code). Values are raw: JSON is not neutralised against formula injection.

`count` is the number of rows in the file, exactly. Metadata comes first, so the count is
written as a blank placeholder and filled in once the last row is written (the destination is a
seekable file). On a destination that cannot seek, `count` is the dataset's count taken just
before streaming (a row added or removed in between would make it differ by that much).

A dataset without rows (analytics) is {"metadata", <documents>}, indented, with `count` the
records it covers.
"""

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import BinaryIO

import orjson
from django.utils import timezone

from exports.columns import CellKind, Column, ValueMode
from exports.datasets.base import Dataset, Layout, Style
from exports.formats.base import FORMAT_VERSION, ExportFormat, ProgressCallback, RowSink, pump
from exports.row_plans import row_plan

COUNT_WIDTH = 20  # room for any row count


def document_row_encoder(
    columns: Sequence[Column], mode: ValueMode, names: Sequence[str] | None = None
) -> tuple[tuple[str, ...], Callable]:
    """The fields to select and a function encoding one values_list row as a JSON object.

    Reads the raw row directly (a C-level pick of the plain values, then the few converted ones
    in place), which keeps the per-lead Python work small.
    """
    plan = row_plan(columns, mode)
    keys = list(names) if names else [column.header_for(mode) for column in columns]
    kinds = [column.kind_for(mode) for column in columns]
    firsts = plan.firsts
    pick = itemgetter(*firsts) if len(firsts) > 1 else (lambda row: (row[firsts[0]],))
    converted = {index for index, _, _ in plan.conversions}
    singles = [(keys[index], paths[0], convert) for index, paths, convert in plan.conversions if len(paths) == 1]
    multiples = [(keys[index], paths, convert) for index, paths, convert in plan.conversions if len(paths) > 1]
    dates = [(keys[i], firsts[i]) for i, kind in enumerate(kinds) if kind == CellKind.DATETIME and i not in converted]
    money = [(keys[i], firsts[i]) for i, kind in enumerate(kinds) if kind == CellKind.MONEY and i not in converted]
    zone = timezone.get_default_timezone()
    dumps = orjson.dumps

    def encode(row: tuple) -> bytes:
        lead = dict(zip(keys, pick(row), strict=True))
        for key, path, convert in singles:
            lead[key] = convert(row[path])
        for key, paths, convert in multiples:
            lead[key] = convert(*[row[path] for path in paths])
        for key, path in dates:
            if row[path] is not None:
                lead[key] = row[path].astimezone(zone)  # orjson writes ISO 8601 with the offset
        for key, path in money:
            if row[path] is not None:
                lead[key] = str(row[path])
        return dumps(lead)

    return plan.fields, encode


def document_metadata(dataset: Dataset, layout: Layout) -> dict:
    return {**dataset.metadata(), "columns": layout.names, "format_version": FORMAT_VERSION}


def generic_row_encoder(layout: Layout) -> Callable[[Sequence], bytes]:
    """Encodes one row of cell values as a JSON object (for datasets without a values_list plan)."""
    names = layout.names
    dates = [index for index, kind in enumerate(layout.kinds) if kind == CellKind.DATETIME]
    money = [index for index, kind in enumerate(layout.kinds) if kind == CellKind.MONEY]
    zone = timezone.get_default_timezone()
    dumps = orjson.dumps

    def encode(cells: Sequence) -> bytes:
        cells = list(cells)
        for index in dates:
            if cells[index] is not None:
                cells[index] = cells[index].astimezone(zone)
        for index in money:
            if cells[index] is not None:
                cells[index] = str(cells[index])
        return dumps(dict(zip(names, cells, strict=True)), default=str)

    return encode


class ObjectArraySink(RowSink):
    """Writes `[` object, object, ... `]`; the caller writes what surrounds it. Objects go out in batches."""

    BATCH = 512

    def __init__(self, *, destination: BinaryIO, encode: Callable[[Sequence], bytes]):
        self._write = destination.write
        self._encode = encode
        self._batch: list[bytes] = []
        self._separator = b"\n"
        self._rows = 0
        self._write(b"[")

    def write_row(self, row: Sequence) -> None:
        self._batch.append(self._encode(row))
        self._rows += 1
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._write(self._separator + b",\n".join(self._batch))
            self._separator = b",\n"
            self._batch.clear()

    def finish(self) -> None:
        self._flush()
        self._write(b"\n]" if self._rows else b"]")


class JsonFormat(ExportFormat):
    key = "json"
    label = "JSON"
    extension = "json"
    content_type = "application/json"
    holds_tables = True

    def write(self, *, dataset: Dataset, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        layout = dataset.layout(Style.DOCUMENT)
        metadata = document_metadata(dataset, layout)
        if not dataset.has_rows:
            count = dataset.covered()
            document = {"metadata": {**metadata, "count": count}, **dataset.documents()}
            destination.write(orjson.dumps(document, option=orjson.OPT_INDENT_2))
            on_progress(count)
            return count

        # {"metadata":{...,"count":<placeholder>}, [<documents>,] "<rows key>":[...]}
        head = orjson.dumps(metadata)[:-1] + b',"count":'
        destination.write(b'{"metadata":' + head)
        seekable = destination.seekable()
        count_at = destination.tell() if seekable else None
        expected = 0 if seekable else dataset.count()
        destination.write(str(expected).encode().ljust(COUNT_WIDTH) + b"},\n")
        for name, value in dataset.documents().items():
            destination.write(orjson.dumps(name) + b":" + orjson.dumps(value) + b",\n")
        destination.write(orjson.dumps(dataset.rows_key) + b":")
        rows = self._write_rows(dataset, layout, destination, on_progress)
        destination.write(b"}\n")
        if count_at is not None:
            end = destination.tell()
            destination.seek(count_at)
            destination.write(str(rows).encode())  # the padding after it is JSON whitespace
            destination.seek(end)
        return rows

    @staticmethod
    def _write_rows(dataset: Dataset, layout: Layout, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        source = dataset.values_source(Style.DOCUMENT)
        if source is not None:
            # The fast path: each lead encoded straight from its values_list tuple.
            fields, encode = document_row_encoder(source.columns, source.mode, source.names)
            rows = source.rows(fields)
        else:
            encode, rows = generic_row_encoder(layout), dataset.rows(Style.DOCUMENT)
        sink = ObjectArraySink(destination=destination, encode=encode)
        count = pump(rows, [sink], on_progress)
        sink.finish()
        return count
