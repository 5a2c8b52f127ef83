"""What every export format shares: its class attributes, row sinks and the streaming loop.

A format only encodes a dataset (exports.datasets): it asks for the layout, the rows, the tables
and the documents, and never for leads, analytics or summaries itself.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import BinaryIO, ClassVar

from exports.datasets.base import Dataset, ProgressCallback

# on_progress is called every this many rows (and once at the end).
PROGRESS_EVERY = 2000
# Version of the JSON document and ZIP manifest layouts; raise it when a key changes meaning.
FORMAT_VERSION = 1

__all__ = ["FORMAT_VERSION", "PROGRESS_EVERY", "ExportFormat", "ProgressCallback", "RowSink", "pump"]


class RowSink(ABC):
    """Receives one export's rows (cell values in layout order) and encodes them."""

    @abstractmethod
    def write_row(self, cells: Sequence) -> None: ...

    @abstractmethod
    def finish(self) -> None:
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


class ExportFormat(ABC):
    """One file format: what it is called and served as, and how it encodes a dataset.

    Subclasses set the class attributes (a subclass may change any of them) and are listed, by
    dotted path, in the EXPORT_FORMATS setting (exports.formats.registry).
    """

    key: ClassVar[str]
    label: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]  # the media type the file is served as
    holds_tables: ClassVar[bool] = False  # can hold a dataset's tables and documents beside the rows
    needs_rows: ClassVar[bool] = False  # only encodes datasets that have rows

    @classmethod
    def supports(cls, dataset: type[Dataset]) -> bool:
        """Whether a file of this format can hold what `dataset` exports."""
        if dataset.needs_tables and not cls.holds_tables:
            return False
        return dataset.has_rows or not cls.needs_rows

    @property
    def media_type(self) -> str:
        """The content type without its parameters (for OpenAPI)."""
        return self.content_type.split(";")[0].strip()

    @abstractmethod
    def write(self, *, dataset: Dataset, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        """Write the whole file to `destination` (binary, open for writing); returns rows written.

        A dataset without rows returns the number of records its content covers.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"
