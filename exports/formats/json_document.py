"""JSON: one document, written as a stream, one lead at a time (orjson).

    {"metadata": {generated_at, generated_by, export_id, data_type, filters, filters_summary,
                  columns, update_ready, format_version, count},
     "leads": [{...}, ...]}

Leads use the column keys, raw status codes, nested `location` {id, name, site_code, region} and
`category` {id, name, code} objects, ISO 8601 date-times in the site's time zone with their
offset, and money as strings with two decimals (exact, as in the analytics). An update-ready
export writes the flat import columns instead (location = site code, category = code). Values
are raw: JSON is not neutralised against formula injection.

`count` is the number of leads in the file, exactly. Metadata comes first, so the count is
written as a blank placeholder and filled in once the last lead is written (the destination is a
seekable file). On a destination that cannot seek, `count` is the query count taken just before
streaming (a lead added or removed in between would make it differ by that much).

Analytics exports hold {"metadata", "analytics"} (leads.analytics.report.analytics_report);
comprehensive ones {"metadata", "analytics", "leads"}.
"""

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import BinaryIO

import orjson
from django.utils import timezone

from exports.columns import CellKind, Column, ValueMode, row_plan
from exports.formats.base import FORMAT_VERSION, ExportContext, ExportFormatWriter, ProgressCallback, RowSink, pump
from exports.models import ExportDataType
from exports.rows import lead_value_rows
from leads.filter_summary import lead_filters_summary
from leads.selectors import lead_list

COUNT_WIDTH = 20  # room for any row count


def document_row_encoder(columns: Sequence[Column], mode: ValueMode) -> tuple[tuple[str, ...], Callable]:
    """The fields to select and a function encoding one values_list row as a JSON object.

    Reads the raw row directly (a C-level pick of the plain values, then the few converted ones
    in place), which keeps the per-lead Python work small.
    """
    plan = row_plan(columns, mode)
    keys = [column.header_for(mode) for column in columns]
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


def document_metadata(context: ExportContext, *, columns: Sequence[Column], mode: ValueMode) -> dict:
    return {
        "generated_at": context.generated_at_local.isoformat(),
        "generated_by": context.generated_by,
        "export_id": context.export_id,
        "data_type": context.data_type,
        "filters": dict(context.filters),
        "filters_summary": lead_filters_summary(filters=context.filters),
        "columns": [column.header_for(mode) for column in columns],
        "update_ready": context.update_ready,
        "include_contact_info": context.include_contact_info,
        "format_version": FORMAT_VERSION,
    }


class LeadArraySink(RowSink):
    """Writes `[` lead, lead, ... `]`; the caller writes what surrounds it. Leads go out in batches."""

    BATCH = 512

    def __init__(self, *, destination: BinaryIO, columns: Sequence[Column], mode: ValueMode):
        self._write = destination.write
        self.fields, self._encode = document_row_encoder(columns, mode)
        self._batch: list[bytes] = []
        self._separator = b"\n"
        self._write(b"[")

    def write_row(self, row: tuple) -> None:
        """Takes the raw values_list row of `self.fields` (see lead_value_rows)."""
        self._batch.append(self._encode(row))
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._write(self._separator + b",\n".join(self._batch))
            self._separator = b",\n"
            self._batch.clear()

    def finish(self, *, rows_written: int) -> None:
        self._flush()
        self._write(b"\n]" if rows_written else b"]")


class JsonFormat(ExportFormatWriter):
    key = "json"
    label = "JSON"
    extension = "json"
    content_type = "application/json"
    data_types = (ExportDataType.LEADS, ExportDataType.ANALYTICS, ExportDataType.COMPREHENSIVE)

    def write(self, *, context: ExportContext, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        columns, mode = context.document_columns, context.document_mode
        metadata = document_metadata(context, columns=columns, mode=mode)
        if context.data_type == ExportDataType.ANALYTICS:
            return _write_analytics(context, metadata, destination, on_progress)

        # {"metadata":{...,"count":<placeholder>}, ["analytics":{...},] "leads":[...]}
        head = orjson.dumps(metadata)[:-1] + b',"count":'
        destination.write(b'{"metadata":' + head)
        seekable = destination.seekable()
        count_at = destination.tell() if seekable else None
        expected = 0 if seekable else lead_list(filters=context.filters).count()
        destination.write(str(expected).encode().ljust(COUNT_WIDTH) + b"},\n")
        if context.data_type == ExportDataType.COMPREHENSIVE:
            destination.write(b'"analytics":' + orjson.dumps(_analytics(context)) + b",\n")
        destination.write(b'"leads":')
        sink = LeadArraySink(destination=destination, columns=columns, mode=mode)
        rows = pump(lead_value_rows(filters=context.filters, fields=sink.fields), [sink], on_progress)
        sink.finish(rows_written=rows)
        destination.write(b"}\n")
        if count_at is not None:
            end = destination.tell()
            destination.seek(count_at)
            destination.write(str(rows).encode())  # the padding after it is JSON whitespace
            destination.seek(end)
        return rows


def _analytics(context: ExportContext) -> dict:
    from leads.analytics.report import analytics_report  # heavy, and only some exports need it

    return analytics_report(filters=context.filters)


def _write_analytics(context: ExportContext, metadata: dict, destination: BinaryIO, on_progress) -> int:
    report = _analytics(context)
    leads = report["exportable_data"]["total_leads"]
    metadata = {**metadata, "count": leads}
    destination.write(orjson.dumps({"metadata": metadata, "analytics": report}, option=orjson.OPT_INDENT_2))
    on_progress(leads)
    return leads
