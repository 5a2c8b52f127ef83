"""Streaming readers of lead files: CSV, Excel (.xlsx) and JSON, one row mapping at a time.

- CSV: UTF-8 (a byte-order mark is fine); comma, semicolon or tab separated (whichever the header
  row uses most); the first row names the columns. Read with the csv module, line by line.
- Excel (.xlsx): the sheet "Leads" and its continuations "Leads (2)", ... when the workbook has
  them (an export does), otherwise the first sheet; its first row names the columns. Read with
  openpyxl's read-only mode, row by row.
- JSON: a list of lead objects, or an object whose "leads" key holds that list (a JSON export),
  parsed incrementally with ijson. A key an object leaves out leaves that field as it is.

Headers are matched as `leads.importing.fields` says; unknown columns are ignored and reported.
Rows whose cells are all blank are skipped; the others are numbered from 1 (the first lead row,
under the header). The leading quote an export puts before text starting with =, +, -, @, tab, CR
or LF (against formula injection in spreadsheets) is removed from CSV and Excel cells, so exported
files re-import as they were. The row limit is applied while reading: the file is never read past it.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO

from leads.cell_safety import QUOTE, unneutralise
from leads.import_cells import decode_xlsx_text
from leads.importing.errors import LeadImportFileError, printable
from leads.importing.fields import IDENTITY_FIELDS, LEAD_FILE_FIELDS, header_field

FORMATS = ("csv", "xlsx", "json")
# A JSON escape of a UTF-16 surrogate: the fast parser would turn a lone one into "?", so such
# (rare) files are parsed by ijson's pure-Python backend, which keeps it for validation to refuse.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
MAX_IGNORED_COLUMNS = 50

Opener = Callable[[], BinaryIO]


@dataclass
class LeadFile:
    format: str
    ignored_columns: tuple[str, ...]  # JSON: filled in while the rows are read
    rows: Iterator[dict]  # field name -> cell, blank rows skipped


def lead_file_open(*, handle: BinaryIO, format: str, max_rows: int) -> LeadFile:
    """The lead rows of an open binary file; raises LeadImportFileError when the file cannot be read."""
    if format == "csv":
        return _csv_file(handle, max_rows=max_rows)
    if format == "xlsx":
        return _xlsx_file(handle, max_rows=max_rows)
    if format == "json":
        return _json_file(handle, max_rows=max_rows)
    raise LeadImportFileError(f"Unknown import format “{printable(str(format))[:20]}”; use csv, xlsx or json.")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_many(limit: int) -> LeadImportFileError:
    return LeadImportFileError(
        f"The file has more than {limit:,} lead rows; an import takes at most {limit:,}. Split it into smaller files."
    )


def _columns(raw_headers: list) -> tuple[list[tuple[int, str]], tuple[str, ...]]:
    """[(cell index, field)] of the columns read, and the ignored headers; refuses bad header rows."""
    kept, ignored = [], []
    for index, raw in enumerate(raw_headers):
        field = header_field(raw)
        if field is not None:
            kept.append((index, field))
        elif not _is_blank(raw):
            ignored.append(printable(str(raw).strip())[:100])
    fields = [field for _, field in kept]
    repeated = sorted({field for field in fields if fields.count(field) > 1})
    if repeated:
        raise LeadImportFileError(f"These columns appear more than once: {', '.join(repeated)}.")
    missing = [field for field in IDENTITY_FIELDS if field not in fields]
    if missing:
        names = " and ".join(f"“{field}”" for field in missing)
        raise LeadImportFileError(
            f"The file has no {names} column{'s' if len(missing) > 1 else ''}. Its first row must name the columns: "
            f"{', '.join(LEAD_FILE_FIELDS)}; location and source_post_id are required "
            "(every export has them, as Location and Post ID)."
        )
    return kept, tuple(ignored[:MAX_IGNORED_COLUMNS])


def _table_rows(rows: Iterator, kept: list[tuple[int, str]], *, max_rows: int) -> Iterator[dict]:
    width = max(index for index, _ in kept) + 1
    count = 0
    for row in rows:
        if len(row) < width:
            row = [*row, *([None] * (width - len(row)))]
        cells = {field: row[index] for index, field in kept}
        try:
            blank = not "".join(cells.values()).strip()  # a CSV row: text cells only, one C call
        except TypeError:  # a spreadsheet row: numbers, dates, empty cells
            blank = all(_is_blank(cell) for cell in cells.values())
        if blank:
            continue
        for field, cell in cells.items():
            if cell.__class__ is str and cell[:1] == QUOTE:
                cells[field] = unneutralise(cell)  # exactly the quote the export added, no more
        count += 1
        if count > max_rows:
            raise _too_many(max_rows)
        yield cells


# CSV ----------------------------------------------------------------------------------------------


def _csv_file(handle: BinaryIO, *, max_rows: int) -> LeadFile:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # a long description is one field
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    first = _decoded(lambda: text.readline(), line=1)
    if not first.strip():
        raise LeadImportFileError("The file is empty.")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(chain([first], _decoded_lines(text)), delimiter=delimiter)
    try:
        headers = next(reader)
    except csv.Error as error:
        raise LeadImportFileError(f"The file cannot be read as CSV: {error}.") from None
    kept, ignored = _columns(headers)
    return LeadFile(format="csv", ignored_columns=ignored, rows=_csv_rows(reader, kept, max_rows=max_rows))


def _csv_rows(reader, kept, *, max_rows: int) -> Iterator[dict]:
    def rows():
        try:
            yield from reader
        except csv.Error as error:
            raise LeadImportFileError(f"The file cannot be read as CSV (line {reader.line_num}): {error}.") from None

    return _table_rows(rows(), kept, max_rows=max_rows)


def _decoded(read: Callable[[], str], *, line: int) -> str:
    try:
        return read()
    except UnicodeDecodeError:
        raise LeadImportFileError(
            f"The file is not UTF-8 text (line {line:,}). Save it as UTF-8 (“CSV UTF-8” in Excel)."
        ) from None


def _decoded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    line = 1
    while True:
        line += 1
        chunk = _decoded(text.readline, line=line)
        if not chunk:
            return
        yield chunk


# Excel --------------------------------------------------------------------------------------------


def _xlsx_file(handle: BinaryIO, *, max_rows: int) -> LeadFile:
    import openpyxl  # only Excel imports need it

    _refuse_bombs(handle)
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise LeadImportFileError("The file is not an Excel workbook (.xlsx).") from None
    names = book.sheetnames
    lead_sheets = [name for name in names if name == "Leads" or (name.startswith("Leads (") and name[-1] == ")")]
    sheets = [book[name] for name in lead_sheets or names[:1]]
    declared = sum(max((sheet.max_row or 1) - 1, 0) for sheet in sheets)
    if declared > max_rows * 2:  # the sheets' own size records: refuse at once what is plainly too big
        book.close()
        raise _too_many(max_rows)
    rows = sheets[0].iter_rows(values_only=True) if sheets else iter(())
    header = next(rows, None)
    if header is None:
        book.close()
        raise LeadImportFileError("The file is empty.")
    header = list(header)
    kept, ignored = _columns(header)
    return LeadFile(
        format="xlsx", ignored_columns=ignored, rows=_xlsx_rows(book, sheets, header, rows, kept, max_rows=max_rows)
    )


def _xlsx_rows(book, sheets, header, first_rows, kept, *, max_rows: int) -> Iterator[dict]:
    def rows():
        read, sheet = 0, sheets[0]
        try:
            for row in first_rows:
                read += 1
                yield _xlsx_controls(row)
            for sheet in sheets[1:]:
                more = sheet.iter_rows(values_only=True)
                if list(next(more, None) or ()) != header:  # a continuation sheet repeats the header row
                    raise LeadImportFileError(f"The sheet “{sheet.title}” has other column headers than the first.")
                for row in more:
                    read += 1
                    yield _xlsx_controls(row)
        except LeadImportFileError:
            raise
        except Exception as error:  # a damaged sheet: openpyxl and its XML parser raise many kinds
            raise LeadImportFileError(
                f"The sheet “{printable(sheet.title)}” cannot be read after lead row {read:,}: "
                f"{printable(str(error))[:120]}. Save the workbook again, or export it as CSV."
            ) from None
        finally:
            book.close()

    return _table_rows(rows(), kept, max_rows=max_rows)


def _xlsx_controls(row: tuple) -> tuple:
    """Excel's "_xHHHH_" escapes read back as writers mean them (leads.import_cells.decode_xlsx_text), so a
    NUL is refused as a NUL and a literal "_x0041_" stays as it was exported."""
    if not any(cell.__class__ is str and "_x" in cell for cell in row):
        return row
    return tuple(decode_xlsx_text(cell) if cell.__class__ is str else cell for cell in row)


def _refuse_bombs(handle: BinaryIO) -> None:
    """A workbook is a ZIP: refuse one whose shared-string table would unpack to more than the file limit."""
    from leads.importing import conf

    try:
        with zipfile.ZipFile(handle) as archive:
            strings = sum(info.file_size for info in archive.infolist() if info.filename.endswith("sharedStrings.xml"))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LeadImportFileError("The file is not an Excel workbook (.xlsx).") from None
    finally:
        handle.seek(0)
    if strings > conf.max_bytes():
        raise LeadImportFileError(
            "The workbook's text unpacks to more than an import takes. Split it into smaller files."
        )


# JSON ---------------------------------------------------------------------------------------------


def _json_file(handle: BinaryIO, *, max_rows: int) -> LeadFile:
    import ijson

    start = handle.read(len(codecs.BOM_UTF8))
    if start != codecs.BOM_UTF8:
        handle.seek(0)
    offset = handle.tell()
    lead_bytes = handle.read(64)
    first = lead_bytes.lstrip()[:1]
    if not first:
        raise LeadImportFileError("The file is empty.")
    if first not in (b"[", b"{"):
        raise LeadImportFileError(
            'A JSON import holds a list of lead objects, or an object with a "leads" list (as a JSON export does).'
        )
    handle.seek(offset)
    backend = ijson.get_backend("python") if _has_surrogate_escape(handle) else ijson
    handle.seek(offset)
    prefix = "item" if first == b"[" else "leads.item"
    items = backend.items(handle, prefix)
    lead_file = LeadFile(format="json", ignored_columns=(), rows=iter(()))
    lead_file.rows = _json_rows(items, lead_file, max_rows=max_rows)
    return lead_file


def _has_surrogate_escape(handle: BinaryIO) -> bool:
    tail = b""
    while chunk := handle.read(1024 * 1024):
        if _SURROGATE_ESCAPE.search(tail + chunk):
            return True
        tail = chunk[-8:]
    return False


def _json_rows(items, lead_file: LeadFile, *, max_rows: int) -> Iterator[dict]:
    """The objects' lead fields; keys that are not lead fields are added to `lead_file.ignored_columns`."""
    from ijson.common import JSONError

    count = 0
    ignored: set[str] = set()
    try:
        for item in items:
            if not isinstance(item, dict):
                raise LeadImportFileError(
                    f"Lead {count + 1} of the JSON file is not an object; a JSON import holds a list of lead objects."
                )
            row = {}
            for key, value in item.items():
                field = header_field(key)
                if field is not None:
                    row[field] = value
                elif len(lead_file.ignored_columns) < MAX_IGNORED_COLUMNS and key not in ignored:
                    ignored.add(key)
                    lead_file.ignored_columns = (*lead_file.ignored_columns, printable(str(key))[:100])
            if all(_is_blank(cell) for cell in row.values()):
                continue
            count += 1
            if count > max_rows:
                raise _too_many(max_rows)
            yield row
    except JSONError as error:
        raise LeadImportFileError(f"The file is not valid JSON: {printable(str(error))[:200]}.") from None
    except UnicodeDecodeError:
        raise LeadImportFileError("The file is not UTF-8 text. Save it as UTF-8.") from None
