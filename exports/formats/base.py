"""What every export format shares: the export's context, row sinks and the streaming loop."""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone

from exports.columns import Column, ValueMode, columns_for_update, columns_resolve
from exports.models import Export, ExportDataType

# on_progress is called every this many rows (and once at the end).
PROGRESS_EVERY = 2000
# Version of the JSON document and ZIP manifest layouts; raise it when a key changes meaning.
FORMAT_VERSION = 1

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class ExportContext:
    """Everything a format reads about one export, taken from its record once."""

    filters: Mapping
    columns: tuple[Column, ...]  # as chosen (contact columns already dropped when contact info is off)
    update_ready: bool = False
    csv_bom: bool = False
    data_type: str = ExportDataType.LEADS
    generated_by: str = ""
    generated_at: datetime.datetime | None = None
    export_id: str = ""
    include_contact_info: bool = False

    @classmethod
    def from_export(cls, export: Export) -> "ExportContext":
        options = export.options or {}
        columns = columns_resolve(keys=export.columns or None, include_contact_info=export.include_contact_info)
        return cls(
            filters=dict(export.filters or {}),
            columns=tuple(columns),
            update_ready=bool(options.get("update_ready")),
            csv_bom=bool(options.get("csv_bom")),
            data_type=export.data_type,
            generated_by=export.created_by.get_username() if export.created_by_id else "",
            generated_at=timezone.now(),
            export_id=str(export.pk),
            include_contact_info=export.include_contact_info,
        )

    @property
    def table_mode(self) -> ValueMode:
        """How CSV and Excel cells read: readable, or raw codes for an update-ready file."""
        return ValueMode.RAW if self.update_ready else ValueMode.READABLE

    @property
    def table_columns(self) -> list[Column]:
        return columns_for_update(self.columns) if self.update_ready else list(self.columns)

    @property
    def document_mode(self) -> ValueMode:
        return ValueMode.RAW if self.update_ready else ValueMode.DOCUMENT

    @property
    def document_columns(self) -> list[Column]:
        return self.table_columns

    @property
    def generated_at_local(self) -> datetime.datetime:
        return timezone.localtime(self.generated_at or timezone.now(), timezone.get_default_timezone())


class RowSink(ABC):
    """Receives one export's rows (cell values in column order) and encodes them."""

    @abstractmethod
    def write_row(self, cells: Sequence) -> None: ...

    @abstractmethod
    def finish(self, *, rows_written: int) -> None:
        """Write what follows the rows; the destination stays open (the caller owns it)."""


def pump(rows: Iterable[Sequence], sinks: Sequence[RowSink], on_progress: ProgressCallback) -> int:
    """Feed every row to every sink, reporting progress; returns the number of rows."""
    count = 0
    if len(sinks) == 1:
        write = sinks[0].write_row
        for row in rows:
            write(row)
            count += 1
            if not count % PROGRESS_EVERY:
                on_progress(count)
    else:
        writes = [sink.write_row for sink in sinks]
        for row in rows:
            for write in writes:
                write(row)
            count += 1
            if not count % PROGRESS_EVERY:
                on_progress(count)
    on_progress(count)
    return count


class ExportFormatWriter(ABC):
    """One file format: what it is called and served as, and how it writes an export."""

    key: str
    label: str
    extension: str
    content_type: str
    data_types: tuple[str, ...] = (ExportDataType.LEADS,)

    def supports(self, data_type: str) -> bool:
        return data_type in self.data_types

    @abstractmethod
    def write(self, *, context: ExportContext, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        """Write the whole file to `destination` (binary, open for writing); returns rows written."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"
