"""Lead import files (CSV, Excel, JSON) and the import service; `leads.resources` says what the columns mean.

Reading a file (`lead_import_read`) is the same for the admin and the command line:

- CSV: UTF-8 (a byte-order mark is fine); comma, semicolon or tab separated (whichever the header row
  uses most); the first row names the columns.
- Excel (.xlsx): the sheet "Leads" and its continuations "Leads (2)", ... when the workbook has them (an
  export does), otherwise the first sheet; its first row names the columns.
- JSON: a list of lead objects, or an object whose "leads" key holds that list (a JSON export). Objects
  should share their keys: a key missing from one object counts as a blank cell.

Headers are matched in any case, with spaces or dashes for underscores; unknown columns are ignored
and reported; `location` and `source_post_id` are required. Rows whose cells are all blank are
skipped, and the remaining rows are numbered from 1 (the first lead row, under the header) in
every message. The leading quote an export puts before text starting with =, +, -, @ (against formula
injection in spreadsheets) is removed from CSV and Excel cells, so exported files re-import as they were.

A file that cannot be read raises `LeadImportFileError` with a sentence saying why; a file read
fine but with bad rows gives a `LeadImportResult` listing each row's errors, and then nothing is saved.
"""

import csv
import io
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from leads import conf
from leads.resources import IDENTITY_COLUMNS, LEAD_IMPORT_COLUMNS, LeadResource

logger = logging.getLogger("leads.imports")

LEAD_IMPORT_FORMATS = ("csv", "xlsx", "json")
IMPORT_PERMISSIONS = ("leads.add_lead", "leads.change_lead")
# The quote exports put before text that a spreadsheet would run as a formula (exports.formats.safety).
_FORMULA_QUOTE = "'"
_FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")


class LeadImportFileError(Exception):
    """The file cannot be imported at all; the message is a sentence for the person importing it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LeadImportRowError:
    row: int | None  # the lead row's number, from 1; None for an error about the whole file
    messages: tuple[str, ...]


@dataclass(frozen=True)
class LeadImportFile:
    dataset: tablib.Dataset
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True)
class LeadImportResult:
    format: str
    rows: int
    new: int
    updated: int
    skipped: int
    errors: tuple[LeadImportRowError, ...]
    ignored_columns: tuple[str, ...]
    dry_run: bool

    @property
    def saved(self) -> bool:
        """Whether the rows were written: never on a dry run, never when any row has an error."""
        return not self.dry_run and not self.errors


def lead_import_allowed(*, user) -> bool:
    """Importing adds and changes leads, so it takes both permissions."""
    return user.has_perms(IMPORT_PERMISSIONS)


def lead_import_format(*, format: str | None, file_name: str | None) -> str:
    """The format key: `format` when given, otherwise the file name's extension."""
    if format:
        key = format.strip().lower().lstrip(".")
        key = "xlsx" if key == "excel" else key
        if key not in LEAD_IMPORT_FORMATS:
            raise LeadImportFileError(f"Unknown import format “{format}”; use csv, xlsx or json.")
        return key
    if not file_name:
        raise LeadImportFileError("Give the file's format: csv, xlsx or json.")
    extension = Path(file_name).suffix.lower().lstrip(".")
    if extension in LEAD_IMPORT_FORMATS:
        return extension
    if extension == "xls":
        raise LeadImportFileError("Old Excel .xls workbooks cannot be imported; save the workbook as .xlsx.")
    raise LeadImportFileError(
        f"Cannot tell the format of “{Path(file_name).name}” from its name; "
        "name it .csv, .xlsx or .json, or give the format (csv, xlsx or json)."
    )


def lead_import_read(*, data: bytes, format: str) -> LeadImportFile:
    """The lead rows of a file's bytes, with normalised headers; raises LeadImportFileError."""
    if not data.strip():
        raise LeadImportFileError("The file is empty.")
    if format == "csv":
        table = _csv_table(data)
    elif format == "xlsx":
        table = _xlsx_table(data)
    elif format == "json":
        table = _json_table(data)
    else:
        raise LeadImportFileError(f"Unknown import format “{format}”; use csv, xlsx or json.")
    return _lead_rows(table, unescape=format != "json")


def lead_import(
    *, file_path_or_bytes: str | os.PathLike | bytes, format: str | None = None, user=None, dry_run: bool = False
) -> LeadImportResult:
    """Import leads from a file (a path or its bytes), all or nothing; see leads.resources for the rules.

    `format` is csv, xlsx or json; without it a path's extension decides. `user`, when given, must
    hold the lead add and change permissions. A dry run reports what would happen and saves nothing.
    Raises LeadImportFileError for a file that cannot be read, PermissionDenied for a user who may not import.
    """
    if user is not None and not lead_import_allowed(user=user):
        raise PermissionDenied("Importing leads needs the permissions to add and to change leads.")
    if isinstance(file_path_or_bytes, bytes | bytearray):
        key = lead_import_format(format=format, file_name=None)
        data = bytes(file_path_or_bytes)
    else:
        path = Path(file_path_or_bytes)
        key = lead_import_format(format=format, file_name=path.name)  # a bad name fails before reading
        data = _read_path(path)
    started = time.monotonic()
    read = lead_import_read(data=data, format=key)
    result = LeadResource().import_data(read.dataset, dry_run=dry_run, user=user)
    summary = _summary(result, format=key, ignored_columns=read.ignored_columns, dry_run=dry_run)
    logger.info(
        "lead import finished format=%s rows=%s new=%s updated=%s skipped=%s rows_with_errors=%s saved=%s user=%s "
        "seconds=%.2f",
        key,
        summary.rows,
        summary.new,
        summary.updated,
        summary.skipped,
        len(summary.errors),
        summary.saved,
        getattr(user, "pk", None),
        time.monotonic() - started,
    )
    return summary


# Reading ------------------------------------------------------------------------------------------


def _read_path(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LeadImportFileError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise LeadImportFileError(f"{path} is a folder, not a file.") from None
    except PermissionError:
        raise LeadImportFileError(f"{path} cannot be read: permission denied.") from None
    except OSError as error:
        raise LeadImportFileError(f"{path} cannot be read: {error.strerror or error}.") from None


def _utf8_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeadImportFileError("The file is not UTF-8 text. Save it as UTF-8 (“CSV UTF-8” in Excel).") from None
    if "\x00" in text:
        raise LeadImportFileError("The file holds binary data, not text. Check the file and its format.")
    return text


def _csv_table(data: bytes) -> list[list]:
    text = _utf8_text(data)
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise LeadImportFileError(f"The file cannot be read as CSV: {error}.") from None


def _xlsx_table(data: bytes) -> list[list]:
    import openpyxl  # only Excel imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise LeadImportFileError("The file is not an Excel workbook (.xlsx).") from None
    try:
        names = book.sheetnames
        lead_sheets = [name for name in names if name == "Leads" or (name.startswith("Leads (") and name[-1] == ")")]
        table: list[list] = []
        for name in lead_sheets or names[:1]:
            rows = [list(row) for row in book[name].iter_rows(values_only=True)]
            if not table:
                table = rows
            elif rows and rows[0] == table[0]:
                table.extend(rows[1:])  # a continuation sheet repeats the header row
            elif rows:
                raise LeadImportFileError(f"The sheet “{name}” has other column headers than the first sheet.")
        return table
    finally:
        book.close()


def _json_table(data: bytes) -> list[list]:
    text = _utf8_text(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise LeadImportFileError(
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    leads = document.get("leads") if isinstance(document, dict) else document
    if not isinstance(leads, list) or not all(isinstance(lead, dict) for lead in leads):
        raise LeadImportFileError(
            'A JSON import holds a list of lead objects, or an object with a "leads" list (as a JSON export does).'
        )
    headers = list(dict.fromkeys(key for lead in leads for key in lead))
    return [headers, *([lead.get(key) for key in headers] for lead in leads)]


def _header(value) -> str:
    return "" if value is None else str(value).strip().lower().replace(" ", "_").replace("-", "_")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unescape(value):
    if isinstance(value, str) and len(value) > 1 and value[0] == _FORMULA_QUOTE and value[1] in _FORMULA_TRIGGERS:
        return value[1:]
    return value


def _lead_rows(table: list[list], *, unescape: bool) -> LeadImportFile:
    if not table:
        raise LeadImportFileError("The file is empty.")
    raw_headers = table[0]
    headers = [_header(value) for value in raw_headers]
    keep = [index for index, header in enumerate(headers) if header in LEAD_IMPORT_COLUMNS]
    kept = [headers[index] for index in keep]
    repeated = sorted({header for header in kept if kept.count(header) > 1})
    if repeated:
        raise LeadImportFileError(f"These columns appear more than once: {', '.join(repeated)}.")
    missing = [column for column in IDENTITY_COLUMNS if column not in kept]
    if missing:
        names = " and ".join(f"“{column}”" for column in missing)
        raise LeadImportFileError(
            f"The file has no {names} column{'s' if len(missing) > 1 else ''}. Its first row must name the columns: "
            f"{', '.join(LEAD_IMPORT_COLUMNS)}; location and source_post_id are required "
            "(an update-ready export has them all)."
        )
    ignored = tuple(
        str(raw_headers[index]).strip()
        for index, header in enumerate(headers)
        if header and header not in LEAD_IMPORT_COLUMNS
    )

    rows = []
    for row in table[1:]:
        cells = [row[index] if index < len(row) else None for index in keep]
        if all(_is_blank(cell) for cell in cells):
            continue
        _refuse_nul(cells, headers=kept, number=len(rows) + 1)
        rows.append([_unescape(cell) for cell in cells] if unescape else cells)
    if not rows:
        raise LeadImportFileError("The file has column headers but no lead rows.")
    limit = conf.import_max_rows()
    if len(rows) > limit:
        raise LeadImportFileError(
            f"The file has {len(rows):,} lead rows; an import takes at most {limit:,}. Split it into smaller files."
        )
    return LeadImportFile(dataset=tablib.Dataset(*rows, headers=kept), ignored_columns=ignored)


def _refuse_nul(cells: list, *, headers: list[str], number: int) -> None:
    # PostgreSQL text cannot hold NUL and SQLite would store it silently: refuse it on every database
    # (a JSON "\u0000" or an Excel cell gets here; a raw NUL byte in a text file was refused when read).
    for header, cell in zip(headers, cells, strict=True):
        if isinstance(cell, str) and "\x00" in cell:
            raise LeadImportFileError(
                f"Lead row {number}, column “{header}”, holds a NUL character (\\u0000), which a lead cannot "
                "store. Remove it from the file and import again."
            )


# Results ------------------------------------------------------------------------------------------


def _summary(result: Result, *, format: str, ignored_columns: tuple[str, ...], dry_run: bool) -> LeadImportResult:
    errors = [
        LeadImportRowError(row=None, messages=(f"The import failed: {_error_text(error.error)}",))
        for error in result.base_errors
    ]
    for invalid in result.invalid_rows:
        messages = tuple(
            message if field == NON_FIELD_ERRORS else f"{field}: {message}"
            for field, field_messages in invalid.error_dict.items()
            for message in field_messages
        )
        errors.append(LeadImportRowError(row=invalid.number, messages=messages))
    for error_row in result.error_rows:
        messages = tuple(f"The row could not be saved: {_error_text(error.error)}" for error in error_row.errors)
        errors.append(LeadImportRowError(row=error_row.number, messages=messages))
    errors.sort(key=lambda error: error.row or 0)
    totals = result.totals
    return LeadImportResult(
        format=format,
        rows=result.total_rows,
        new=totals[RowResult.IMPORT_TYPE_NEW],
        updated=totals[RowResult.IMPORT_TYPE_UPDATE],
        skipped=totals[RowResult.IMPORT_TYPE_SKIP],
        errors=tuple(errors),
        ignored_columns=ignored_columns,
        dry_run=dry_run,
    )


def _error_text(error: BaseException) -> str:
    # An unexpected error (a database refusal, say): its own text, logged in full for the developers.
    logger.warning("lead import error: %r", error, exc_info=error)
    return str(error)


# Formats for the admin's import page (django-import-export format classes) -----------------------


class _LeadImportFormat:
    """Reads the uploaded bytes with `lead_import_read`, so the admin and the command read files alike."""

    key = ""

    def is_binary(self) -> bool:
        return True  # the bytes come here undecoded; lead_import_read decodes text itself

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        data = in_stream.encode() if isinstance(in_stream, str) else bytes(in_stream)
        return lead_import_read(data=data, format=self.key).dataset


class LeadCSV(_LeadImportFormat, base_formats.CSV):
    key = "csv"


class LeadXLSX(_LeadImportFormat, base_formats.XLSX):
    key = "xlsx"


class LeadJSON(_LeadImportFormat, base_formats.JSON):
    key = "json"


ADMIN_IMPORT_FORMATS = [LeadCSV, LeadXLSX, LeadJSON]
