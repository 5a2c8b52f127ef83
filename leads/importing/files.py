"""Importing a lead file, all or nothing, in bounded memory: the service behind the admin, command and worker.

1. The size is checked before a byte is read (LEAD_IMPORT_MAX_BYTES).
2. A check pass streams the file: every row is cleaned and matched (`leads.importing.upsert`),
   errors are collected with row numbers and field names (the first MAX_REPORTED_ERRORS rows
   with errors are listed, the others counted), and the row limit (LEAD_IMPORT_MAX_ROWS) is
   applied while reading. Nothing is written; each batch's plan goes to an anonymous spool file.
3. Only when no row has an error, a write pass replays the plans inside one transaction. A batch
   whose leads changed since the check (or that repeats a pair an earlier batch wrote) is matched
   again; should a row fail then, the whole transaction is rolled back: a failure leaves the
   database as it was.
"""

import logging
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from django.db import transaction

from leads.importing import conf
from leads.importing.cleaning import RowCleaner
from leads.importing.errors import LeadImportFileError, printable
from leads.importing.readers import FORMATS, lead_file_open
from leads.importing.upsert import BatchPlan, Outcome, RowOutcome, batch_plan, batch_snapshot, batch_write, rows_clean
from leads.importing.writing import lead_bulk_transaction

logger = logging.getLogger("leads.imports")

ProgressHook = Callable[[str, int], None]  # (phase: "checking", "checked" or "writing", rows done)
RowHook = Callable[[dict, RowOutcome], None]


@dataclass(frozen=True)
class LeadImportRowError:
    row: int | None  # the lead row's number, from 1; None for an error about the whole file
    messages: tuple[str, ...]  # "title: contains a NUL character"

    @property
    def text(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return "; ".join(f"{where}{message}" for message in self.messages)


@dataclass(frozen=True)
class LeadImportResult:
    format: str
    rows: int
    new: int
    updated: int
    unchanged: int
    rejected: int  # rows with errors (all of them, also those past the listed ones)
    errors: tuple[LeadImportRowError, ...]
    ignored_columns: tuple[str, ...]
    dry_run: bool
    complete: bool = True  # False: a check that stopped after `stop_after` rows

    @property
    def saved(self) -> bool:
        """Whether the rows were written: never on a dry run, never when any row has an error."""
        return not self.dry_run and not self.rejected and not self.errors and self.complete


@dataclass(frozen=True)
class LeadImportSource:
    """A file to import: its name, its size and how to open it (it is read twice: check, then write)."""

    name: str
    size: int
    open: Callable[[], BinaryIO]

    @classmethod
    def from_path(cls, path: str | os.PathLike) -> "LeadImportSource":
        path = Path(path)
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise IsADirectoryError
            with path.open("rb"):
                pass
        except FileNotFoundError:
            raise LeadImportFileError(f"There is no file {path}.") from None
        except IsADirectoryError:
            raise LeadImportFileError(f"{path} is a folder, not a file.") from None
        except PermissionError:
            raise LeadImportFileError(f"{path} cannot be read: permission denied.") from None
        except OSError as error:
            raise LeadImportFileError(f"{path} cannot be read: {error.strerror or error}.") from None
        return cls(name=path.name, size=size, open=lambda: path.open("rb"))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "") -> "LeadImportSource":
        import io

        return cls(name=name, size=len(data), open=lambda: io.BytesIO(data))


def lead_import_format(*, format: str | None, file_name: str | None) -> str:
    """The format key: `format` when given, otherwise the file name's extension."""
    if format:
        key = str(format).strip().lower().lstrip(".")
        key = "xlsx" if key == "excel" else key
        if key not in FORMATS:
            raise LeadImportFileError(f"Unknown import format “{printable(str(format))[:20]}”; use csv, xlsx or json.")
        return key
    if not file_name:
        raise LeadImportFileError("Give the file's format: csv, xlsx or json.")
    extension = Path(file_name).suffix.lower().lstrip(".")
    if extension in FORMATS:
        return extension
    if extension == "xls":
        raise LeadImportFileError("Old Excel .xls workbooks cannot be imported; save the workbook as .xlsx.")
    raise LeadImportFileError(
        f"Cannot tell the format of “{printable(Path(file_name).name)[:100]}” from its name; "
        "name it .csv, .xlsx or .json, or give the format (csv, xlsx or json)."
    )


def lead_import_size_check(*, size: int) -> None:
    """Refuses a file larger than LEAD_IMPORT_MAX_BYTES, before anything reads it."""
    limit = conf.max_bytes()
    if size > limit:
        raise LeadImportFileError(
            f"The file is {_megabytes(size)}; an import takes at most {_megabytes(limit)}. Split it into smaller files."
        )
    if size == 0:
        raise LeadImportFileError("The file is empty.")


def lead_file_import(
    *,
    source: LeadImportSource,
    format: str,
    dry_run: bool = False,
    stop_after: int | None = None,
    on_progress: ProgressHook | None = None,
    on_row: RowHook | None = None,
) -> LeadImportResult:
    """Import `source` all or nothing (see the module docstring); raises LeadImportFileError.

    `stop_after` (a preview) checks only that many rows and returns `complete=False` when the file
    has more; nothing is written then. `on_row(cells, outcome)` sees every checked row.
    """
    lead_import_size_check(size=source.size)
    started = time.monotonic()
    spool = None if dry_run or stop_after is not None else _spool()
    try:
        check = _check(
            source, format=format, spool=spool, stop_after=stop_after, on_progress=on_progress, on_row=on_row
        )
        result = replace(check, dry_run=dry_run)
        if spool is not None and not check.rejected:
            if on_progress is not None:
                on_progress("checked", check.rows)
            with lead_bulk_transaction():
                result = _write(spool, check, on_progress=on_progress)
                if result.rejected:
                    transaction.set_rollback(True)  # changed since the check: nothing of it stays
    finally:
        if spool is not None:
            spool.close()
    logger.info(
        "lead import finished format=%s rows=%s new=%s updated=%s unchanged=%s rejected=%s saved=%s seconds=%.2f",
        format,
        result.rows,
        result.new,
        result.updated,
        result.unchanged,
        result.rejected,
        result.saved,
        time.monotonic() - started,
    )
    return result


def _spool():
    """An anonymous file (gone when closed, or when the process dies) for the cleaned rows between passes."""
    folder = conf.import_directory()
    folder.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryFile(dir=folder, prefix="spool-")


class _Tally:
    def __init__(self):
        self.counts = dict.fromkeys(Outcome, 0)
        self.errors: list[LeadImportRowError] = []

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.outcome] += 1
        if outcome.errors and len(self.errors) < conf.MAX_REPORTED_ERRORS:
            self.errors.append(LeadImportRowError(row=outcome.number, messages=_messages(outcome.errors)))

    def result(self, *, format: str, ignored_columns: tuple, dry_run: bool, complete: bool) -> LeadImportResult:
        counts = self.counts
        return LeadImportResult(
            format=format,
            rows=sum(counts.values()),
            new=counts[Outcome.CREATED],
            updated=counts[Outcome.UPDATED],
            unchanged=counts[Outcome.UNCHANGED],
            rejected=counts[Outcome.REJECTED],
            errors=tuple(self.errors),
            ignored_columns=ignored_columns,
            dry_run=dry_run,
            complete=complete,
        )


def _check(source, *, format, spool, stop_after, on_progress, on_row) -> LeadImportResult:
    """The first pass: read, clean and match every row; spool each batch's plan while all rows are fine."""
    tally = _Tally()
    cleaner = RowCleaner()
    complete = True
    with source.open() as handle:
        lead_file = lead_file_open(handle=handle, format=format, max_rows=conf.max_rows())
        numbered = enumerate(lead_file.rows, start=1)
        while batch := list(islice(numbered, conf.BATCH_SIZE)):
            if stop_after is not None and batch[-1][0] > stop_after:
                batch = [(number, cells) for number, cells in batch if number <= stop_after]
                complete = False
            plan = batch_plan(rows_clean(batch, cleaner=cleaner), lock=False)
            for (_, cells), outcome in zip(batch, plan.outcomes(), strict=True):
                tally.add(outcome)
                if on_row is not None:
                    on_row(cells, outcome)
            if spool is not None and not tally.counts[Outcome.REJECTED]:
                pickle.dump(plan.to_spool(), spool, pickle.HIGHEST_PROTOCOL)
            if on_progress is not None and batch:
                on_progress("checking", batch[-1][0])
            if not complete:
                break
    if not sum(tally.counts.values()):
        raise LeadImportFileError(
            'The file holds no lead rows. A JSON import holds a list of lead objects, or an object with a "leads" list.'
            if format == "json"
            else "The file has column headers but no lead rows."
        )
    return tally.result(format=format, ignored_columns=lead_file.ignored_columns, dry_run=True, complete=complete)


def _write(spool, check: LeadImportResult, *, on_progress) -> LeadImportResult:
    """The second pass, inside the caller's transaction: each spooled plan written, re-planned if stale."""
    tally = _Tally()
    spool.seek(0)
    while True:
        try:
            plan = BatchPlan.from_spool(pickle.load(spool))  # our own anonymous file, written by _check
        except EOFError:
            break
        if batch_snapshot(plan.keys()) != plan.snapshot:  # locks the batch's leads either way
            plan = batch_plan(plan.rows, lock=True)
        batch_write(plan)
        for outcome in plan.outcomes():
            tally.add(outcome)
        if on_progress is not None and plan.rows:
            on_progress("writing", plan.rows[-1].number)
    return tally.result(format=check.format, ignored_columns=check.ignored_columns, dry_run=False, complete=True)


def _messages(errors: dict[str, list[str]]) -> tuple[str, ...]:
    return tuple(
        message if not field else f"{field}: {message}" for field, texts in errors.items() for message in texts
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"
