"""Excel (.xlsx), streamed by exports.formats.sheetml.

Why this writer: the speed target (at least 2.5x faster than import-export's XLSX, bench/exports.py)
and flat memory. The general libraries spend most of an export's time per cell in Python
(XlsxWriter's constant_memory mode took about nine times as long as sheetml for the same rows);
sheetml writes the SpreadsheetML rows straight into the ZIP with the formatting an export
needs, and never a formula.

Workbook of a leads export:
- "Leads": bold frozen header row with an autofilter, column widths fitted to the content (the
  longest value among the first rows, sheetml.DEFAULT_WIDTH_SAMPLE, capped at sheetml.MAX_WIDTH),
  dates as real Excel dates (site time zone, whole seconds; the zone is named in the header),
  prices as numbers with a currency format, ids as numbers. A sheet holds at most MAX_SHEET_ROWS
  rows (Excel's 1,048,576, header included) and at most MAX_SHEET_BYTES of XML: the rows continue
  on "Leads (2)", "Leads (3)", ... each with its header.
- "Summary": count, prices, dates and leads by status, location and category of the exported
  leads (exports.summary, computed in the database).
- "Filters": who exported, when, the filters in words and as stored, the columns, the row count.
Analytics exports hold an "Overview" sheet and one sheet per breakdown of the analytics report;
comprehensive exports hold the leads sheets, the Summary, the analytics sheets and Filters.

Safety: no cell is ever a formula (sheetml writes inline strings and numbers only); text is
neutralised, stripped of characters XML cannot hold and cut at 32,767 characters (see
exports.formats.safety).
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import BinaryIO

import orjson
from django.utils import timezone

from exports.columns import CellKind, Column, ValueMode
from exports.formats import sheetml
from exports.formats.base import ExportContext, ExportFormatWriter, ProgressCallback, RowSink, pump
from exports.formats.safety import excel_text
from exports.formats.sheetml import BOLD, DATE_FORMAT, MONEY, MONEY_FORMAT, SHARE, column_letter, excel_serial
from exports.models import ExportDataType
from exports.rows import lead_rows
from exports.summary import export_summary
from leads.filter_summary import lead_filters_summary

MAX_SHEET_ROWS = 1_048_576  # Excel's limit per sheet, header row included
MAX_SHEET_BYTES = 1_500_000_000  # keeps each sheet's XML under ZIP's 2 GiB member size without ZIP64
XLSX_COMPRESSION_LEVEL = 1  # the sheet XML compresses well even at the fastest level
LEADS_SHEET = "Leads"
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))

__all__ = ["DATE_FORMAT", "MONEY_FORMAT", "ExcelFormat", "LeadSheetsSink", "excel_serial", "open_workbook"]


def open_workbook(destination: BinaryIO) -> sheetml.Workbook:
    return sheetml.Workbook(destination, compresslevel=XLSX_COMPRESSION_LEVEL)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, timezone.get_default_timezone()) if timezone.is_aware(value) else value


def lead_row_encoder(columns: Sequence[Column], mode: ValueMode):
    """A function (cells, row number, widths or None) -> the row's cells as SpreadsheetML."""
    kinds = [column.kind_for(mode) for column in columns]
    letters = [column_letter(index) for index in range(len(columns))]
    raw = mode != ValueMode.READABLE
    zone = timezone.get_default_timezone()
    escape = sheetml.xml_escape
    text_kind, integer_kind, money_kind, date_kind = CellKind.TEXT, CellKind.INTEGER, CellKind.MONEY, CellKind.DATETIME
    date_width, iso_width = len(DATE_FORMAT), len("2026-11-27T09:30:00.123456-08:00")
    plan = list(zip(range(len(columns)), letters, kinds, strict=True))

    def encode(cells: Sequence, number: int, widths: list[int] | None) -> str:
        row = str(number)
        parts = []
        for index, letter, kind in plan:
            value = cells[index]
            if value is None:
                continue
            if kind is text_kind:
                if not value:
                    continue
                value = excel_text(value)
                if not value:
                    continue
                parts.append(
                    f'<c r="{letter}{row}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
                )
                width = len(value)
            elif kind is integer_kind:
                value = str(value)
                parts.append(f'<c r="{letter}{row}"><v>{value}</v></c>')
                width = len(value)
            elif kind is money_kind:
                parts.append(f'<c r="{letter}{row}" s="{MONEY}"><v>{value:f}</v></c>')
                width = len(f"{value:,.2f}") + 1
            elif kind is date_kind and raw:
                value = value.astimezone(zone).isoformat()
                parts.append(f'<c r="{letter}{row}" t="inlineStr"><is><t>{value}</t></is></c>')
                width = iso_width
            elif kind is date_kind:
                parts.append(
                    f'<c r="{letter}{row}" s="{sheetml.DATE}"><v>{excel_serial(value.astimezone(zone))!r}</v></c>'
                )
                width = date_width
            else:
                raise ValueError(f"Excel cannot hold {kind} cells.")
            if widths is not None and width > widths[index]:
                widths[index] = width
        return "".join(parts)

    return encode


class LeadSheetsSink(RowSink):
    """Lead rows on "Leads", continuing on "Leads (2)", ... past MAX_SHEET_ROWS (or MAX_SHEET_BYTES)."""

    def __init__(self, *, workbook: sheetml.Workbook, columns: Sequence[Column], mode: ValueMode):
        self._workbook = workbook
        self._headers = [column.header_for(mode) for column in columns]
        self._encode = lead_row_encoder(columns, mode)
        self._width = len(columns)
        self.sheets: list[sheetml.Sheet] = []
        self._new_sheet()

    def _new_sheet(self) -> None:
        number = len(self.sheets) + 1
        name = LEADS_SHEET if number == 1 else f"{LEADS_SHEET} ({number})"
        sheet = self._workbook.add_sheet(name, freeze_header=True, autofilter=True)
        sheet.append(self._headers, style=BOLD)
        self.sheets.append(sheet)
        self._sheet = sheet
        self._widths = sheet.widths

    def write_row(self, cells: Sequence) -> None:
        sheet = self._sheet
        if sheet.next_row > MAX_SHEET_ROWS or sheet.bytes_written > MAX_SHEET_BYTES:
            self._new_sheet()
            sheet = self._sheet
        sheet.append_xml(self._encode(cells, sheet.next_row, self._widths if sheet.sampling else None), self._width)

    def finish(self, *, rows_written: int) -> None:
        self._sheet.close()


class TableSheet:
    """A small sheet written top to bottom (Summary, Filters, analytics)."""

    def __init__(self, workbook: sheetml.Workbook, name: str):
        self.sheet = workbook.add_sheet(name)

    def title(self, text: str) -> None:
        self.sheet.append([text], style=BOLD)

    def row(self, values: Sequence, *, style: int = sheetml.PLAIN, styles: Sequence[int | None] | None = None) -> None:
        values = [_local(value) if isinstance(value, datetime.datetime) else value for value in values]
        values = [value if _is_cell_value(value) else orjson.dumps(value).decode() for value in values]
        self.sheet.append(values, style=style, styles=styles)

    def blank(self) -> None:
        self.sheet.append_xml("", 0)

    def close(self) -> None:
        self.sheet.close()


def _is_cell_value(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool | datetime.date) or hasattr(value, "as_tuple")


def write_summary_sheet(workbook: sheetml.Workbook, summary: Mapping) -> None:
    table = TableSheet(workbook, "Summary")
    table.title("Summary of the exported leads")
    zone = timezone.get_default_timezone_name()
    overview = [
        ("Leads", summary["count"], None),
        ("Leads with a price", summary["with_price"], None),
        ("Lowest price", summary["price_min"], MONEY),
        ("Highest price", summary["price_max"], MONEY),
        ("Average price", summary["price_average"], MONEY),
        ("Total of prices", summary["price_total"], MONEY),
        (f"First found ({zone})", summary["first_found"], None),
        (f"Last found ({zone})", summary["last_found"], None),
        ("Leads with an e-mail address", summary["with_email"], None),
        ("Leads with a phone number", summary["with_phone"], None),
    ]
    for label, value, style in overview:
        table.row([label, value], styles=[None, style])
    share = [None, None, SHARE]
    table.blank()
    table.row(["Status", "Leads", "Share"], style=BOLD)
    for entry in summary["by_status"]:
        table.row([entry["label"], entry["count"], entry["share"]], styles=share)
    for title, code_key, key in (("Location", "site_code", "by_location"), ("Category", "code", "by_category")):
        table.blank()
        table.row([title, "Code", "Leads", "Share"], style=BOLD)
        for entry in summary[key]:
            table.row(
                [entry["name"], entry[code_key], entry["count"], entry["share"]],
                styles=[*share[:2], None, SHARE],
            )
    table.close()


def write_filters_sheet(
    workbook: sheetml.Workbook, context: ExportContext, *, columns: Sequence[Column], mode, rows
) -> None:
    table = TableSheet(workbook, "Filters")
    table.title("What this file holds")
    facts = [
        ("Exported by", context.generated_by or "-"),
        (f"Exported at ({timezone.get_default_timezone_name()})", context.generated_at_local),
        ("Export id", context.export_id or "-"),
        ("Data", ExportDataType(context.data_type).label),
        ("Rows", rows),
        ("Filters", lead_filters_summary(filters=context.filters)),
        ("Update-ready (ids and raw codes)", context.update_ready),
        ("Contact information included", context.include_contact_info),
        ("Columns", ", ".join(column.header_for(mode) for column in columns)),
    ]
    for label, value in facts:
        table.row([label, value], styles=[BOLD])
    table.blank()
    table.row(["Filter parameter", "Value (as stored; replays the same leads)"], style=BOLD)
    for name, value in context.filters.items():
        table.row([name, value if isinstance(value, str | int | bool) else orjson.dumps(value).decode()])
    table.close()


def write_analytics_sheets(workbook: sheetml.Workbook, report: Mapping) -> None:
    """An "Overview" sheet of every single figure, then one sheet per breakdown (a list of entries)."""
    overview: list[tuple[str, object]] = []
    tables: list[tuple[str, list[Mapping]]] = []
    _flatten(report, (), overview, tables)
    sheet = TableSheet(workbook, "Overview")
    sheet.title("Analytics")
    for label, value in overview:
        sheet.row([label, value])
    sheet.close()
    used = {"Overview", "Summary", "Filters", LEADS_SHEET}
    for path, entries in tables:
        table = TableSheet(workbook, _sheet_name(path, used))
        headers = list(dict.fromkeys(key for entry in entries for key in entry))
        table.row([_words(header) for header in headers], style=BOLD)
        for entry in entries:
            table.row([_scalar(entry.get(header)) for header in headers])
        table.close()


def _flatten(value, path: tuple, overview: list, tables: list) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "filters":
                continue  # the Filters sheet shows the spec
            _flatten(item, (*path, key), overview, tables)
    elif isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
        tables.append((path, value))
    elif isinstance(value, list):
        overview.append((" > ".join(_words(part) for part in path), ", ".join(map(str, value))))
    else:
        overview.append((" > ".join(_words(part) for part in path), value))


def _scalar(value):
    if isinstance(value, Mapping | list):
        return orjson.dumps(value).decode()
    return value


def _words(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def _sheet_name(path: tuple, used: set) -> str:
    parts = [part for part in path if part not in ("buckets",)] or list(path)
    base = _words(" ".join(map(str, parts))).translate(_SHEET_NAME_FORBIDDEN).strip("' ")[:_SHEET_NAME_MAX].strip()
    name, number = base or "Sheet", 2
    while name.lower() in {item.lower() for item in used}:
        suffix = f" ({number})"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    used.add(name)
    return name


class ExcelFormat(ExportFormatWriter):
    key = "excel"
    label = "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data_types = (ExportDataType.LEADS, ExportDataType.ANALYTICS, ExportDataType.COMPREHENSIVE)

    def write(self, *, context: ExportContext, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        workbook = open_workbook(destination)
        try:
            rows = self._write_sheets(workbook, context, on_progress)
        except BaseException:
            workbook.abort()
            raise
        workbook.close()
        return rows

    def _write_sheets(self, workbook: sheetml.Workbook, context: ExportContext, on_progress: ProgressCallback) -> int:
        columns, mode = context.table_columns, context.table_mode
        if context.data_type == ExportDataType.ANALYTICS:
            from leads.analytics.report import analytics_report

            report = analytics_report(filters=context.filters)
            rows = report["exportable_data"]["total_leads"]
            write_analytics_sheets(workbook, report)
            on_progress(rows)
        else:
            sink = LeadSheetsSink(workbook=workbook, columns=columns, mode=mode)
            rows = pump(lead_rows(filters=context.filters, columns=columns, mode=mode), [sink], on_progress)
            sink.finish(rows_written=rows)
            write_summary_sheet(workbook, export_summary(filters=context.filters))
            if context.data_type == ExportDataType.COMPREHENSIVE:
                from leads.analytics.report import analytics_report

                write_analytics_sheets(workbook, analytics_report(filters=context.filters))
        write_filters_sheet(workbook, context, columns=columns, mode=mode, rows=rows)
        return rows
