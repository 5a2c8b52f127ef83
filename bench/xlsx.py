"""Benchmark: does the hand-written XLSX writer (exports.formats.sheetml) earn its place?

Writes the same rows (default 100,000 leads, Leadsite's 14 default columns, contact info
included) with the same formatting (bold frozen header, autofilter, column widths, date and
money formats, the formula-injection quote on text) with:

    sheetml       the export's own path: spreadsheet.RowSheetsSink + sheetml (as the Excel export runs)
    xlsxwriter    XlsxWriter in constant_memory mode, strings_to_formulas/urls/numbers off
    openpyxl      openpyxl's write-only mode

and prints each writer's time, its ratio to sheetml and its peak memory (RSS of a fresh
subprocess per run, from ru_maxrss). No database: the rows are generated in memory, the same
for every writer, so only the writing is measured. Run from the repository root:

    .venv/bin/python bench/xlsx.py [--rows 100000] [--repeat 3] [--only sheetml,xlsxwriter,openpyxl]

--repeat N runs each writer N times and keeps the fastest (use it on a busy machine).
"""

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DATA_DIR", tempfile.gettempdir())

WRITERS = ("sheetml", "xlsxwriter", "openpyxl")
ZONE = datetime.UTC
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = '"$"#,##0.00'


def setup_django():
    import django

    django.setup()


def lead_columns():
    from exports.content.columns import columns_resolve

    return columns_resolve(keys=None, include_contact_info=True)


def make_rows(count: int, columns):
    """Export-shaped cells, one row at a time (so memory is the writer's): some text starts with a trigger."""
    from exports.content.columns import CellKind, ValueMode

    kinds = [column.kind_for(ValueMode.READABLE) for column in columns]
    base = datetime.datetime(2026, 11, 27, 17, 30, 15, tzinfo=datetime.UTC)
    for number in range(count):
        row = []
        for index, kind in enumerate(kinds):
            if kind == CellKind.INTEGER:
                row.append(number + 1)
            elif kind == CellKind.MONEY:
                row.append(Decimal(number % 5000) + Decimal("0.99") if number % 7 else None)
            elif kind == CellKind.DATETIME:
                row.append(base - datetime.timedelta(minutes=number + index))
            elif index % 5 == 0 and number % 11 == 0:
                row.append(f"+1 415 555 {number % 10000:04d}")  # a phone: neutralised
            else:
                row.append(f"Lead {number} column {index} " + "mountain bike, barely used; " * (1 + number % 4))
        yield row


def write_sheetml(path: Path, columns, rows, count: int) -> None:
    from exports.content.columns import ValueMode
    from exports.datasets.base import Field, Layout
    from exports.formats.spreadsheet import RowSheetsSink, open_workbook

    mode = ValueMode.READABLE
    layout = Layout(
        fields=tuple(Field(column.key, column.header_for(mode), column.kind_for(mode)) for column in columns)
    )
    with path.open("wb") as destination:
        workbook = open_workbook(destination)
        sink = RowSheetsSink(workbook=workbook, layout=layout, name="Leads")
        for row in rows:
            sink.write_row(row)
        sink.finish()
        workbook.close()


def write_xlsxwriter(path: Path, columns, rows, count: int) -> None:
    import xlsxwriter

    from exports.content.columns import CellKind, ValueMode
    from leads.cell_safety import neutralise

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), {**options, "strings_to_numbers": False})
    bold, date, money = (
        book.add_format({"bold": True}),
        book.add_format({"num_format": DATE_FORMAT}),
        book.add_format({"num_format": MONEY_FORMAT}),
    )
    sheet = book.add_worksheet("Leads")
    sheet.freeze_panes(1, 0)
    kinds = [column.kind_for(ValueMode.READABLE) for column in columns]
    for index, width in enumerate(_widths(columns, kinds)):
        sheet.set_column(index, index, width)
    sheet.write_row(0, 0, [column.header_for(ValueMode.READABLE) for column in columns], bold)
    for number, row in enumerate(rows, start=1):
        for index, (kind, value) in enumerate(zip(kinds, row, strict=True)):
            if value is None or value == "":
                continue
            if kind == CellKind.TEXT:
                sheet.write_string(number, index, neutralise(value))
            elif kind == CellKind.INTEGER:
                sheet.write_number(number, index, value)
            elif kind == CellKind.MONEY:
                sheet.write_number(number, index, float(value), money)
            else:
                sheet.write_datetime(number, index, value.astimezone(ZONE).replace(tzinfo=None), date)
    sheet.autofilter(0, 0, count, len(columns) - 1)
    book.close()


def write_openpyxl(path: Path, columns, rows, count: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from exports.content.columns import CellKind, ValueMode
    from leads.cell_safety import neutralise

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Leads")
    sheet.freeze_panes = "A2"
    kinds = [column.kind_for(ValueMode.READABLE) for column in columns]
    for index, width in enumerate(_widths(columns, kinds)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header_for(ValueMode.READABLE))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = []
        for kind, value in zip(kinds, row, strict=True):
            if value is None or value == "":
                values.append(None)
            elif kind == CellKind.TEXT:
                values.append(neutralise(value))
            elif kind == CellKind.MONEY:
                money_cell = WriteOnlyCell(sheet, value=float(value))
                money_cell.number_format = MONEY_FORMAT
                values.append(money_cell)
            elif kind == CellKind.DATETIME:
                date_cell = WriteOnlyCell(sheet, value=value.astimezone(ZONE).replace(tzinfo=None))
                date_cell.number_format = DATE_FORMAT
                values.append(date_cell)
            else:
                values.append(value)
        sheet.append(values)
    book.save(str(path))


def _widths(columns, kinds) -> list[float]:
    """Column widths from the first 1,000 rows, as sheetml fits them."""
    widths = [6.0] * len(kinds)
    for row in make_rows(1000, columns):
        for index, value in enumerate(row):
            widths[index] = min(60.0, max(widths[index], len(str(value)) + 2.0))
    return widths


def run_one(writer: str, rows: int) -> None:
    """In a subprocess: generate the rows, write them once, print seconds and peak RSS in MB."""
    setup_django()
    columns = lead_columns()
    write = {"sheetml": write_sheetml, "xlsxwriter": write_xlsxwriter, "openpyxl": write_openpyxl}[writer]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{writer}.xlsx"
        started = time.perf_counter()
        write(path, columns, make_rows(rows, columns), rows)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.3f} {peak:.1f} {size}")


def measure(writer: str, rows: int, repeat: int) -> tuple[float, float, int]:
    best = None
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, __file__, "--child", writer, "--rows", str(rows)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout.split()
        seconds, peak, size = float(output[0]), float(output[1]), int(output[2])
        if best is None or seconds < best[0]:
            best = (seconds, peak, size)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", default=",".join(WRITERS))
    parser.add_argument("--child", choices=WRITERS, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_one(arguments.child, arguments.rows)
        return
    writers = [name for name in arguments.only.split(",") if name in WRITERS]
    print(
        f"XLSX writers, {arguments.rows:,} rows x 14 columns, best of {arguments.repeat} (rows generated one at a time)"
    )
    print(f"{'writer':<12} {'seconds':>9} {'vs sheetml':>11} {'peak RSS MB':>12} {'file MB':>9}")
    results = {writer: measure(writer, arguments.rows, arguments.repeat) for writer in writers}
    reference = results.get("sheetml", (None,))[0]
    for writer, (seconds, peak, size) in results.items():
        ratio = f"{seconds / reference:.2f}x" if reference else "-"
        print(f"{writer:<12} {seconds:>9.2f} {ratio:>11} {peak:>12.1f} {size / 1e6:>9.1f}")


if __name__ == "__main__":
    main()
