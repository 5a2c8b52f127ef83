"""Excel (.xlsx), written with XlsxWriter in constant-memory mode.

Why XlsxWriter: in its constant_memory mode each row goes to a temporary file as soon as the next
row starts, so memory stays flat; it is about twice as fast as openpyxl's write-only mode on the
same cells (bench/exports.py), keeps every formatting the sheets need, and is well maintained.
Column widths and the autofilter are set after the rows, which constant-memory mode allows.

Workbook of a leads export:
- "Leads": bold frozen header row with an autofilter, column widths fitted to the content (the
  longest value among the first WIDTH_SAMPLE_ROWS rows, capped at MAX_WIDTH), dates as real
  Excel dates (site time zone, whole seconds; the zone is named in the header), prices as numbers
  with a currency format, ids as numbers. A sheet holds at most MAX_SHEET_ROWS rows (Excel's
  1,048,576, header included): the rows continue on "Leads (2)", "Leads (3)", ...
- "Summary": count, prices, dates and leads by status, location and category of the exported
  leads (exports.summary, computed in the database).
- "Filters": who exported, when, the filters in words and as stored, the columns, the row count.
Analytics exports hold an "Overview" sheet and one sheet per breakdown of the analytics report;
comprehensive exports hold the leads sheets, the Summary, the analytics sheets and Filters.

Safety: no cell is ever written as a formula (XlsxWriter's strings_to_formulas is off and text
goes through write_string); text is neutralised, stripped of characters XML cannot hold and cut
at 32,767 characters (see exports.formats.safety).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import BinaryIO

import orjson
from django.utils import timezone

from exports.columns import CellKind, Column, ValueMode
from exports.formats.base import ExportContext, ExportFormatWriter, ProgressCallback, RowSink, pump
from exports.formats.safety import excel_text
from exports.models import ExportDataType
from exports.rows import lead_rows
from exports.selectors import export_filters_summary
from exports.summary import export_summary

MAX_SHEET_ROWS = 1_048_576  # Excel's limit per sheet, header row included
WIDTH_SAMPLE_ROWS = 1000
MIN_WIDTH = 6
MAX_WIDTH = 60
LEADS_SHEET = "Leads"
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = '"$"#,##0.00'
SHARE_FORMAT = "0.0%"
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Never turn text into formulas, numbers or links: text stays exactly the text written.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def excel_serial(local: datetime.datetime) -> float:
    """A wall-clock datetime as an Excel date number (days since 1899-12-30), whole seconds."""
    delta = local.replace(tzinfo=None) - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


class Styles:
    def __init__(self, workbook):
        self.bold = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.money = workbook.add_format({"num_format": MONEY_FORMAT})
        self.share = workbook.add_format({"num_format": SHARE_FORMAT})


def open_workbook(destination: BinaryIO):
    import xlsxwriter  # heavy: imported by the format that needs it

    workbook = xlsxwriter.Workbook(destination, WORKBOOK_OPTIONS)
    return workbook, Styles(workbook)


class LeadSheetsSink(RowSink):
    """Lead rows on "Leads", continuing on "Leads (2)", ... past MAX_SHEET_ROWS."""

    def __init__(self, *, workbook, styles: Styles, columns: Sequence[Column], mode: ValueMode):
        self._workbook = workbook
        self._styles = styles
        self._headers = [column.header_for(mode) for column in columns]
        self._kinds = [column.kind_for(mode) for column in columns]
        self._raw = mode != ValueMode.READABLE
        self._zone = timezone.get_default_timezone()
        self.sheets = []
        self._sheet = None
        self._new_sheet()

    def _new_sheet(self) -> None:
        self._finish_sheet()
        number = len(self.sheets) + 1
        sheet = self._workbook.add_worksheet(LEADS_SHEET if number == 1 else f"{LEADS_SHEET} ({number})")
        self.sheets.append(sheet)
        self._sheet = sheet
        for index, header in enumerate(self._headers):
            sheet.write_string(0, index, excel_text(header), self._styles.bold)
        sheet.freeze_panes(1, 0)
        self._row = 1
        self._widths = [len(header) for header in self._headers]
        self._writers = [self._cell_writer(sheet, kind) for kind in self._kinds]

    def _cell_writer(self, sheet, kind: CellKind):
        write_string, write_number = sheet.write_string, sheet.write_number
        styles, zone = self._styles, self._zone
        if kind == CellKind.TEXT:

            def text(row, col, value):
                if value:
                    value = excel_text(value)
                    if value:
                        write_string(row, col, value)

            return text
        if kind == CellKind.INTEGER:
            return write_number
        if kind == CellKind.MONEY:
            return lambda row, col, value: write_number(row, col, float(value), styles.money)
        if kind == CellKind.DATETIME and self._raw:
            return lambda row, col, value: write_string(row, col, value.astimezone(zone).isoformat())
        if kind == CellKind.DATETIME:
            return lambda row, col, value: write_number(row, col, excel_serial(value.astimezone(zone)), styles.date)
        raise ValueError(f"Excel cannot hold {kind} cells.")

    def write_row(self, cells: Sequence) -> None:
        if self._row >= MAX_SHEET_ROWS:
            self._new_sheet()
        row = self._row
        writers = self._writers
        for col, value in enumerate(cells):
            if value is not None:
                writers[col](row, col, value)
        if row <= WIDTH_SAMPLE_ROWS:
            self._sample_widths(cells)
        self._row = row + 1

    def _sample_widths(self, cells: Sequence) -> None:
        widths = self._widths
        for col, value in enumerate(cells):
            if value is None:
                continue
            kind = self._kinds[col]
            if kind == CellKind.DATETIME:
                width = 32 if self._raw else len(DATE_FORMAT)
            elif kind == CellKind.MONEY:
                width = len(f"{value:,.2f}") + 1
            else:
                width = len(str(value))
            if width > widths[col]:
                widths[col] = width

    def _finish_sheet(self) -> None:
        if self._sheet is None:
            return
        last_row = max(self._row - 1, 0)
        self._sheet.autofilter(0, 0, last_row, len(self._headers) - 1)
        for col, width in enumerate(self._widths):
            self._sheet.set_column(col, col, _fit(width))

    def finish(self, *, rows_written: int) -> None:
        self._finish_sheet()
        self._sheet = None


class TableSheet:
    """A small sheet written top to bottom (Summary, Filters, analytics), widths fitted at the end."""

    def __init__(self, workbook, styles: Styles, name: str):
        self.sheet = workbook.add_worksheet(name)
        self.styles = styles
        self._row = 0
        self._widths: dict[int, int] = {}

    def title(self, text: str) -> None:
        self.row([text], style=self.styles.bold)

    def row(self, values: Iterable, *, style=None, styles: Sequence | None = None) -> None:
        for col, value in enumerate(values):
            cell_style = styles[col] if styles is not None and col < len(styles) and styles[col] else style
            self._cell(col, value, cell_style)
        self._row += 1

    def blank(self) -> None:
        self._row += 1

    def _cell(self, col: int, value, style) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value, timezone.get_default_timezone())
            self.sheet.write_number(self._row, col, excel_serial(local), self.styles.date)
            width = len(DATE_FORMAT)
        elif isinstance(value, int | float | Decimal):
            self.sheet.write_number(self._row, col, float(value), style)
            width = len(f"{value:,.2f}") + 1 if isinstance(value, Decimal | float) else len(str(value))
        else:
            text = value if isinstance(value, str) else orjson.dumps(value).decode()
            text = excel_text(text) if text else text
            if not text:
                return
            self.sheet.write_string(self._row, col, text, style)
            width = len(text)
        self._widths[col] = max(self._widths.get(col, MIN_WIDTH), width)

    def close(self) -> None:
        for col, width in self._widths.items():
            self.sheet.set_column(col, col, _fit(width))


def _fit(width: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, width + 2))


def write_summary_sheet(workbook, styles: Styles, summary: Mapping) -> None:
    table = TableSheet(workbook, styles, "Summary")
    table.title("Summary of the exported leads")
    zone = timezone.get_default_timezone_name()
    overview = [
        ("Leads", summary["count"], None),
        ("Leads with a price", summary["with_price"], None),
        ("Lowest price", summary["price_min"], styles.money),
        ("Highest price", summary["price_max"], styles.money),
        ("Average price", summary["price_average"], styles.money),
        ("Total of prices", summary["price_total"], styles.money),
        (f"First found ({zone})", summary["first_found"], None),
        (f"Last found ({zone})", summary["last_found"], None),
        ("Leads with an e-mail address", summary["with_email"], None),
        ("Leads with a phone number", summary["with_phone"], None),
    ]
    for label, value, style in overview:
        table.row([label, value], styles=[None, style])
    share = [None, None, styles.share]
    table.blank()
    table.row(["Status", "Leads", "Share"], style=styles.bold)
    for entry in summary["by_status"]:
        table.row([entry["label"], entry["count"], entry["share"]], styles=share)
    for title, code_key, key in (("Location", "site_code", "by_location"), ("Category", "code", "by_category")):
        table.blank()
        table.row([title, "Code", "Leads", "Share"], style=styles.bold)
        for entry in summary[key]:
            table.row(
                [entry["name"], entry[code_key], entry["count"], entry["share"]],
                styles=[*share[:2], None, styles.share],
            )
    table.close()


def write_filters_sheet(
    workbook, styles: Styles, context: ExportContext, *, columns: Sequence[Column], mode, rows
) -> None:
    table = TableSheet(workbook, styles, "Filters")
    table.title("What this file holds")
    facts = [
        ("Exported by", context.generated_by or "-"),
        (f"Exported at ({timezone.get_default_timezone_name()})", context.generated_at_local),
        ("Export id", context.export_id or "-"),
        ("Data", ExportDataType(context.data_type).label),
        ("Rows", rows),
        ("Filters", export_filters_summary(filters=context.filters)),
        ("Update-ready (ids and raw codes)", context.update_ready),
        ("Contact information included", context.include_contact_info),
        ("Columns", ", ".join(column.header_for(mode) for column in columns)),
    ]
    for label, value in facts:
        table.row([label, value], styles=[styles.bold])
    table.blank()
    table.row(["Filter parameter", "Value (as stored; replays the same leads)"], style=styles.bold)
    for name, value in context.filters.items():
        table.row([name, value if isinstance(value, str | int | bool) else orjson.dumps(value).decode()])
    table.close()


def write_analytics_sheets(workbook, styles: Styles, report: Mapping) -> None:
    """An "Overview" sheet of every single figure, then one sheet per breakdown (a list of entries)."""
    overview: list[tuple[str, object]] = []
    tables: list[tuple[str, list[Mapping]]] = []
    _flatten(report, (), overview, tables)
    sheet = TableSheet(workbook, styles, "Overview")
    sheet.title("Analytics")
    for label, value in overview:
        sheet.row([label, value])
    sheet.close()
    used = {"Overview", "Summary", "Filters", LEADS_SHEET}
    for path, entries in tables:
        table = TableSheet(workbook, styles, _sheet_name(path, used))
        headers = list(dict.fromkeys(key for entry in entries for key in entry))
        table.row([_words(header) for header in headers], style=styles.bold)
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
        workbook, styles = open_workbook(destination)
        columns, mode = context.table_columns, context.table_mode
        if context.data_type == ExportDataType.ANALYTICS:
            from leads.analytics.report import analytics_report

            report = analytics_report(filters=context.filters)
            rows = report["exportable_data"]["total_leads"]
            write_analytics_sheets(workbook, styles, report)
            on_progress(rows)
        else:
            sink = LeadSheetsSink(workbook=workbook, styles=styles, columns=columns, mode=mode)
            rows = pump(lead_rows(filters=context.filters, columns=columns, mode=mode), [sink], on_progress)
            sink.finish(rows_written=rows)
            write_summary_sheet(workbook, styles, export_summary(filters=context.filters))
            if context.data_type == ExportDataType.COMPREHENSIVE:
                from leads.analytics.report import analytics_report

                write_analytics_sheets(workbook, styles, analytics_report(filters=context.filters))
        write_filters_sheet(workbook, styles, context, columns=columns, mode=mode, rows=rows)
        workbook.close()
        return rows
