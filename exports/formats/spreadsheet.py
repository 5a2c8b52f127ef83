"""Excel (.xlsx), streamed by exports.formats.sheetml.

Why this writer: the speed target (at least 2.5x faster than import-export's XLSX, bench/exports.py)
and flat memory. The general libraries spend most of an export's time per cell in Python
(bench/xlsx.py compares sheetml with XlsxWriter's constant_memory and openpyxl's write-only modes);
sheetml writes the SpreadsheetML rows straight into the ZIP with the formatting an export
needs, and never a formula.

Workbook of a dataset: its rows' sheet(s), then one sheet per table of the dataset, then "Filters".
For leads:
- "Leads": bold frozen header row with an autofilter, column widths fitted to the content (the
  longest value among the first rows, sheetml.DEFAULT_WIDTH_SAMPLE, capped at sheetml.MAX_WIDTH),
  dates as real Excel dates (site time zone, whole seconds; the zone is named in the header),
  prices as numbers with a currency format, ids as numbers. A sheet holds at most MAX_SHEET_ROWS
  rows (Excel's 1,048,576, header included) and at most MAX_SHEET_BYTES of XML: the rows continue
  on "Leads (2)", "Leads (3)", ... each with its header.
- "Summary": count, prices, dates and leads by status, location and category of the exported
  leads (exports.content.summary, computed in the database).
- "Filters": who exported, when, the filters in words and as stored, the columns, the row count.
Analytics exports hold an "Overview" sheet and one sheet per breakdown of the analytics report;
comprehensive exports hold the leads sheets, the Summary, the analytics sheets and Filters.
A sheet's name is the table's, cut to Excel's 31 characters and made unique.

Safety: no cell is a formula (inline strings and numbers only); text is neutralised (leads.cell_safety);
a cell over 32,767 characters is cut, characters XML cannot carry are replaced, and such a cell ends with
CUT_MARKER and is listed on a "Notes" sheet (exports.formats.cell_notes); an import refuses it.
"""

import datetime
from collections.abc import Callable, Sequence
from typing import BinaryIO

import orjson
from django.utils import timezone

from exports.content.columns import CellKind
from exports.datasets.base import CellStyle, Dataset, Layout, Style, Table
from exports.formats import sheetml
from exports.formats.base import ExportFormat, ProgressCallback, RowSink, pump
from exports.formats.cell_notes import NOTES_SHEET, CellNotes, write_notes_sheet
from exports.formats.sheetml import BOLD, DATE_FORMAT, MONEY, MONEY_FORMAT, SHARE, column_letter, excel_serial
from exports.formats.sheetml.cells import date_cell, inline_string

MAX_SHEET_ROWS = 1_048_576  # Excel's limit per sheet, header row included
MAX_SHEET_BYTES = 1_500_000_000  # keeps each sheet's XML under ZIP's 2 GiB member size without ZIP64
XLSX_COMPRESSION_LEVEL = 1  # the sheet XML compresses well even at the fastest level
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))

__all__ = ["DATE_FORMAT", "MONEY_FORMAT", "ExcelFormat", "RowSheetsSink", "excel_serial", "open_workbook"]


def open_workbook(destination: BinaryIO) -> sheetml.Workbook:
    return sheetml.Workbook(destination, compresslevel=XLSX_COMPRESSION_LEVEL)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, timezone.get_default_timezone()) if timezone.is_aware(value) else value


def row_encoder(layout: Layout, on_cut: Callable | None = None):
    """A function (cells, row number, widths or None) -> the row's cells as SpreadsheetML; on_cut(cells,
    row number, column index, problem) hears of each cell sheetml.fit_text could not write whole."""
    kinds = layout.kinds
    letters = [column_letter(index) for index in range(len(kinds))]
    raw = layout.raw
    zone = timezone.get_default_timezone()
    text_kind, integer_kind, money_kind, date_kind = CellKind.TEXT, CellKind.INTEGER, CellKind.MONEY, CellKind.DATETIME
    iso_width = len("2026-11-27T09:30:00.123456-08:00")
    plan = list(zip(range(len(kinds)), letters, kinds, strict=True))

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
                cell, width, problem = inline_string(f"{letter}{row}", value)
                parts.append(cell)
                if problem is not None and on_cut is not None:
                    on_cut(cells, number, index, problem)
            elif kind is integer_kind:
                value = str(value)
                parts.append(f'<c r="{letter}{row}"><v>{value}</v></c>')
                width = len(value)
            elif kind is money_kind:
                if not value.is_finite():
                    continue  # NaN never reaches a cell
                parts.append(f'<c r="{letter}{row}" s="{MONEY}"><v>{value:f}</v></c>')
                width = len(f"{value:,.2f}") + 1
            elif kind is date_kind and raw:
                value = value.astimezone(zone).isoformat()
                parts.append(f'<c r="{letter}{row}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>')
                width = iso_width
            elif kind is date_kind:
                cell, width = date_cell(f"{letter}{row}", value.astimezone(zone))
                parts.append(cell)
            else:
                raise ValueError(f"Excel cannot hold {kind} cells.")
            if widths is not None and width > widths[index]:
                widths[index] = width
        return "".join(parts)

    return encode


class RowSheetsSink(RowSink):
    """Rows on e.g. "Leads", continuing on "Leads (2)", ... past MAX_SHEET_ROWS (or MAX_SHEET_BYTES)."""

    def __init__(self, *, workbook: sheetml.Workbook, layout: Layout, name: str):
        self._workbook = workbook
        self._name = name
        self._headers = layout.names
        keys = [item.key for item in layout.fields]
        self.notes = CellNotes(self._headers, keys.index("id") if "id" in keys else None)
        self._encode = row_encoder(layout, on_cut=lambda *cut: self.notes.record(self._sheet.name, *cut))
        self._width = len(self._headers)
        self.sheets: list[sheetml.Sheet] = []
        self._new_sheet()

    def _new_sheet(self) -> None:
        number = len(self.sheets) + 1
        name = self._name if number == 1 else f"{self._name} ({number})"
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

    def finish(self) -> None:
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


_STYLES = {CellStyle.BOLD: BOLD, CellStyle.MONEY: MONEY, CellStyle.SHARE: SHARE}


def write_table_sheet(workbook: sheetml.Workbook, table: Table, used: set[str]) -> None:
    """One of a dataset's tables as a sheet: its title in bold, then its rows (headings bold)."""
    sheet = TableSheet(workbook, sheet_name(table.name, used))
    if table.title:
        sheet.title(table.title)
    for row in table.rows:
        if not row.values:
            sheet.blank()
            continue
        styles = [_STYLES.get(style) if style else None for style in row.styles] if row.styles else None
        sheet.row(row.values, style=BOLD if row.heading else sheetml.PLAIN, styles=styles)
    sheet.close()


def sheet_name(name: str, used: set[str]) -> str:
    """`name` as Excel allows it (31 characters, no []:*?/\\), unique in the workbook (case-insensitive)."""
    base = str(name).translate(_SHEET_NAME_FORBIDDEN).strip("' ")[:_SHEET_NAME_MAX].strip()
    candidate, number = base or "Sheet", 2
    while candidate.lower() in {item.lower() for item in used}:
        suffix = f" ({number})"
        candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    used.add(candidate)
    return candidate


class ExcelFormat(ExportFormat):
    key = "excel"
    label = "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    holds_tables = True

    def write(self, *, dataset: Dataset, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        return write_workbook(dataset, destination, on_progress)


def write_workbook(dataset: Dataset, destination: BinaryIO, on_progress: ProgressCallback, sinks=()) -> int:
    """The dataset as a workbook; `sinks` receive the same rows in the same pass (ZIP's CSV member)."""
    workbook = open_workbook(destination)
    try:
        rows = _write_sheets(workbook, dataset, on_progress, sinks)
    except BaseException:
        workbook.abort()
        raise
    workbook.close()
    return rows


def _write_sheets(workbook: sheetml.Workbook, dataset: Dataset, on_progress: ProgressCallback, sinks) -> int:
    used = {"Filters", NOTES_SHEET}  # kept for the about table (last) and the cut-cell notes
    notes = None
    if dataset.has_rows:
        sheets = RowSheetsSink(workbook=workbook, layout=dataset.layout(Style.TABLE), name=dataset.rows_label)
        rows = pump(dataset.rows(Style.TABLE), [sheets, *sinks], on_progress)
        sheets.finish()
        notes = sheets.notes
        used.update(sheet.name for sheet in sheets.sheets)
        for sink in sinks:
            sink.finish()
    else:
        rows = dataset.covered()
        on_progress(rows)
    for table in dataset.tables():
        write_table_sheet(workbook, table, used)
    if notes is not None:
        write_notes_sheet(workbook, notes)
    used.discard("Filters")
    write_table_sheet(workbook, dataset.about_table(rows=rows), used)
    return rows
