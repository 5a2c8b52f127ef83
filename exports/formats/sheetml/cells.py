"""Cells of a SpreadsheetML sheet: references, text fit for a cell, numbers, dates.

Every text goes through `fit_text`, so whatever a caller passes, a cell is never a formula, never
holds a character XML 1.0 cannot carry and never exceeds Excel's cell limit:

- the formula-injection quote of leads.cell_safety;
- characters XML cannot carry (control characters other than tab, LF and CR, U+FFFE, U+FFFF and
  lone surrogates) become U+FFFD, and text longer than 32,767 UTF-16 units (Excel's limit) is cut;
  either way the cell ends with `CUT_MARKER`, so a reader sees the cell is not the whole value and
  the importer refuses it (leads.import_cells). (Excel and LibreOffice read "_x0001_" escapes
  as control characters, gnumeric and openpyxl do not: an escape would not read back the same.)
- a literal "_xHHHH_" in the text is escaped as "_x005F_xHHHH_" (ECMA-376 ST_Xstring), so Excel and
  LibreOffice show it as written; leads.import_cells decodes it again. (gnumeric decodes no escape,
  in any workbook, so it shows such a cell with its "_x005F_".)

Numbers that are not finite (NaN, infinity) never reach a cell: the cell is left empty. Dates before
1900-03-01 are written as ISO 8601 text: Excel counts a 29 February 1900 that never was, so its date
numbers before March 1900 differ from every other reader's, and it cannot show dates before 1900.
"""

import datetime
import math
import re
from decimal import Decimal

from leads.cell_safety import CUT_MARKER, neutralise

# Cell styles (indexes into cellXfs of styles.STYLES_XML).
PLAIN, BOLD, DATE, MONEY, SHARE = 0, 1, 2, 3, 4
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = '"$"#,##0.00'
SHARE_FORMAT = "0.0%"
EXCEL_CELL_MAX = 32_767  # characters per cell, counted in UTF-16 units as Excel does
REPLACEMENT = "\ufffd"
TOO_LONG = f"longer than Excel's {EXCEL_CELL_MAX:,} characters per cell: cut"
ILLEGAL_CHARACTERS = "holds characters a workbook cannot carry (control characters, U+FFFE, U+FFFF): replaced by �"
FIRST_SERIAL_DATE = datetime.datetime(1900, 3, 1)  # from here on, every reader agrees on Excel's date numbers
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Every underscore that starts an "_xHHHH_" (overlapping ones too: "_x0041_x0042_" holds two). LibreOffice
# also decodes one to three digits ("_x1_" is U+0001), so those are escaped as well; Excel reads them alike.
_ESCAPE_START = re.compile("_(?=x[0-9A-Fa-f]{1,4}_)")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xml_escape(text: str) -> str:
    """Escape text for element content; CR as a character reference, which XML parsers keep.

    Excel reads "_xHHHH_" in text as an escaped character, so a literal one is escaped itself.
    """
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "_x" in text:
        text = _ESCAPE_START.sub("_x005F_", text)
    return text


def attribute_escape(text: str) -> str:
    return xml_escape(_XML_ILLEGAL.sub(REPLACEMENT, text)).replace('"', "&quot;")


def fit_text(text: str) -> tuple[str, str | None]:
    """`text` as one cell shows it, and None or why it is not the whole value (`TOO_LONG`, `ILLEGAL_CHARACTERS`)."""
    text = neutralise(text)
    problems = []
    if not text.isprintable() and _XML_ILLEGAL.search(text):  # isprintable: a fast path for most cells
        text = _XML_ILLEGAL.sub(REPLACEMENT, text)
        problems.append(ILLEGAL_CHARACTERS)
    if len(text) > EXCEL_CELL_MAX // 2 and _utf16_length(text) > EXCEL_CELL_MAX:
        problems.insert(0, TOO_LONG)
    if not problems:
        return text, None
    return cut_utf16(text, EXCEL_CELL_MAX - len(CUT_MARKER)) + CUT_MARKER, "; ".join(problems)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def cut_utf16(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, never splitting a surrogate pair."""
    encoded = text.encode("utf-16-le", errors="surrogatepass")
    if len(encoded) <= limit * 2:
        return text
    return encoded[: limit * 2].decode("utf-16-le", errors="ignore")


def inline_string(ref: str, text: str, style: int = PLAIN) -> tuple[str, int, str | None]:
    """An inline-string cell of `text` (see fit_text), the characters it shows, and its fit_text problem."""
    text, problem = fit_text(text)
    shown = len(text) - len(CUT_MARKER) if problem else len(text)  # the marker does not widen the column
    return _inline_cell(ref, text, style), shown, problem


def _inline_cell(ref: str, fitted: str, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{xml_escape(fitted)}</t></is></c>'


def number_cell(ref: str, number: int | float | Decimal, style: int = PLAIN) -> str:
    """A number cell; empty ("") for NaN and infinities, which no spreadsheet cell can hold."""
    if isinstance(number, Decimal):
        if not number.is_finite():
            return ""
        number = float(number)
    elif isinstance(number, float) and not math.isfinite(number):
        return ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{number!r}</v></c>'


def excel_serial(local: datetime.datetime) -> float:
    """A wall-clock datetime as an Excel date number (days since 1899-12-30), whole seconds."""
    delta = local.replace(tzinfo=None) - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def date_cell(ref: str, local: datetime.datetime) -> tuple[str, int]:
    """A wall-clock datetime as a date cell, or as ISO 8601 text before `FIRST_SERIAL_DATE`; and its width."""
    naive = local.replace(tzinfo=None)
    if naive < FIRST_SERIAL_DATE:
        text = naive.isoformat(" ", "seconds")
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>', len(text)
    return f'<c r="{ref}" s="{DATE}"><v>{excel_serial(naive)!r}</v></c>', len(DATE_FORMAT)


def encode_value(ref: str, value, style: int, zone: datetime.tzinfo | None) -> tuple[str, int]:
    """A Python value as a cell, and the characters it shows (for the column width).

    str, int, float, Decimal, bool ("yes"/"no"), date (ISO text), datetime (aware ones in `zone`), None.
    """
    if value is None or value == "":
        return "", 0
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(zone)
        return date_cell(ref, value)
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if isinstance(value, int | float | Decimal):
        cell = number_cell(ref, value, style)
        if not cell:
            return "", 0
        number = float(value)
        shown = f"{number:,.2f}" if style == MONEY else f"{number:.1%}" if style == SHARE else str(value)
        return cell, len(shown)
    text = fit_text(str(value))[0]
    return _inline_cell(ref, text, style), max((len(line) for line in text.splitlines()), default=0)


def fitted_width(characters: int) -> float:
    return float(max(MIN_WIDTH, min(MAX_WIDTH, characters + 2)))


MIN_WIDTH = 6
MAX_WIDTH = 60
