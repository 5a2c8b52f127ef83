"""A small streaming writer of .xlsx workbooks (SpreadsheetML in a ZIP), for exports.

Why our own: on export-shaped data the general writers spend most of their time per cell in
Python. bench/xlsx.py writes the same 100,000 rows with this package, XlsxWriter's constant_memory
mode and openpyxl's write-only mode and prints the times and peak memory of each. An export
needs only a few things: text, numbers and dates, five fixed styles, a frozen bold header, an
autofilter and column widths. This package writes exactly that, in document order, straight into
the ZIP member, so memory stays flat. It never writes a formula element: a cell is an inline
string or a number. It follows the XML Excel itself writes (ECMA-376 SpreadsheetML); its tests
read every file back with openpyxl, LibreOffice and gnumeric and check each part's structure.

- cells: references, text fit for a cell (formula quote, characters XML cannot carry, Excel's
  length limit, marked with CUT_MARKER), numbers (never NaN or infinity) and dates;
- sheet: one worksheet, streamed, with frozen header, autofilter and fitted column widths;
- package: the workbook and its package parts; styles: the style sheet.
"""

from exports.formats.sheetml.cells import (
    BOLD,
    CUT_MARKER,
    DATE,
    DATE_FORMAT,
    EXCEL_CELL_MAX,
    MAX_WIDTH,
    MIN_WIDTH,
    MONEY,
    MONEY_FORMAT,
    PLAIN,
    SHARE,
    SHARE_FORMAT,
    column_letter,
    cut_utf16,
    date_cell,
    excel_serial,
    fit_text,
    fitted_width,
    inline_string,
    number_cell,
    xml_escape,
)
from exports.formats.sheetml.package import Workbook
from exports.formats.sheetml.sheet import DEFAULT_WIDTH_SAMPLE, Sheet

__all__ = [
    "BOLD",
    "CUT_MARKER",
    "DATE",
    "DATE_FORMAT",
    "DEFAULT_WIDTH_SAMPLE",
    "EXCEL_CELL_MAX",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "MONEY",
    "MONEY_FORMAT",
    "PLAIN",
    "SHARE",
    "SHARE_FORMAT",
    "Sheet",
    "Workbook",
    "column_letter",
    "cut_utf16",
    "date_cell",
    "excel_serial",
    "fit_text",
    "fitted_width",
    "inline_string",
    "number_cell",
    "xml_escape",
]
