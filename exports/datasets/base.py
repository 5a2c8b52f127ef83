"""What an export holds, apart from how it is encoded (django-import-export's Resource vs Format).

A dataset is one data type of export (leads, analytics, comprehensive, ...). For one export it
yields the header, the rows (streamed, memory bounded), named small tables (a summary, the
filters, analytics sections), JSON documents and the metadata. Formats (exports.formats) only
encode a dataset: a new data type is one Dataset subclass listed in EXPORT_DATASETS, and every
format that can hold its content encodes it.

Formats ask for rows in one of two styles: TABLE (CSV, Excel: readable labels, or raw codes for
an update-ready file) and DOCUMENT (JSON: keys and nested objects). Datasets may also offer fast
paths a format uses when present (PostgreSQL COPY rows, a values_list plan); every format works
without them.
"""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone

from exports.columns import CellKind, Column, ValueMode
from exports.transforms import Transforms

ProgressCallback = Callable[[int], None]


class Style(StrEnum):
    TABLE = "table"  # CSV and Excel cells
    DOCUMENT = "document"  # JSON objects


class CellStyle(StrEnum):
    """How a table cell is shown where the format can (Excel); plain values elsewhere."""

    BOLD = "bold"
    MONEY = "money"
    SHARE = "share"  # a fraction shown as a percentage


@dataclass(frozen=True)
class Field:
    """One column of a dataset's rows: a stable key, its name in the file, and how it is encoded."""

    key: str
    name: str  # the header in CSV/Excel, the key in JSON
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True)
class Layout:
    """The fields of the rows in one style; `raw` values are for machines (ISO 8601 date-times)."""

    fields: tuple[Field, ...]
    raw: bool = False

    @property
    def names(self) -> list[str]:
        return [item.name for item in self.fields]

    @property
    def kinds(self) -> list[CellKind]:
        return [item.kind for item in self.fields]


@dataclass(frozen=True)
class TableRow:
    values: tuple = ()  # empty: a blank row
    styles: tuple[CellStyle | None, ...] = ()  # per cell
    heading: bool = False  # the whole row bold


@dataclass(frozen=True)
class Table:
    """A small named table (a sheet in Excel): a title row, then rows."""

    name: str
    rows: tuple[TableRow, ...]
    title: str | None = None


@dataclass(frozen=True)
class ExportContext:
    """What one export asked for, taken from its record once; datasets read their part of it."""

    filters: Mapping = field(default_factory=dict)
    columns: tuple[str, ...] = ()  # column keys as stored; empty: the dataset's defaults
    include_contact_info: bool = False
    update_ready: bool = False
    csv_bom: bool = False
    data_type: str = "leads"
    generated_by: str = ""
    generated_at: datetime.datetime | None = None
    export_id: str = ""
    transforms: Transforms = field(default_factory=Transforms)

    @classmethod
    def from_export(cls, export) -> "ExportContext":
        options = export.options or {}
        return cls(
            filters=dict(export.filters or {}),
            columns=tuple(export.columns or ()),
            include_contact_info=export.include_contact_info,
            update_ready=bool(options.get("update_ready")),
            csv_bom=bool(options.get("csv_bom")),
            data_type=export.data_type,
            generated_by=export.created_by.get_username() if export.created_by_id else "",
            generated_at=timezone.now(),
            export_id=str(export.pk),
            transforms=Transforms.from_options(options),
        )

    @property
    def generated_at_local(self) -> datetime.datetime:
        return timezone.localtime(self.generated_at or timezone.now(), timezone.get_default_timezone())


@dataclass(frozen=True)
class ValuesSource:
    """A fast path: lead columns read straight from values_list tuples (see exports.row_plans.row_plan)."""

    columns: tuple[Column, ...]
    mode: ValueMode
    rows: Callable[[Sequence[str]], Iterator[tuple]]  # fields -> the raw tuples
    names: tuple[str, ...] | None = None  # the keys to write; None: each column's name in `mode`


class Dataset(ABC):
    """One data type of export. Subclasses set the class attributes and implement count, layout and rows."""

    key: ClassVar[str]
    label: ClassVar[str]
    file_prefix: ClassVar[str] = ""  # the download name's first word; empty: the key
    rows_key: ClassVar[str] = "rows"  # the rows' JSON key and ZIP member name
    rows_label: ClassVar[str] = "Rows"  # the rows' Excel sheet
    has_rows: ClassVar[bool] = True  # False: the content is its tables and documents only
    needs_tables: ClassVar[bool] = False  # True: a format that cannot hold tables cannot hold this
    row_limited: ClassVar[bool] = True  # EXPORT_MAX_RECORDS (and a caller's cap) applies to count()

    def __init__(self, *, context: ExportContext):
        self.context = context

    # --- what a caller may choose -----------------------------------------------------------------

    @classmethod
    def clean_columns(cls, *, keys: Sequence[str] | None, include_contact_info: bool) -> list[str]:
        """The column keys to store for this data type; raises ValidationError({"columns": ...})."""
        if keys:
            raise ValidationError({"columns": [f"{cls.label} exports have fixed columns; leave columns out."]})
        return []

    @classmethod
    def count_for(cls, *, filters: Mapping) -> int:
        """How many rows `filters` selects (checked against the row limit and QUICK_EXPORT_LIMIT)."""
        return cls(context=ExportContext(filters=filters)).count()

    # --- content ------------------------------------------------------------------------------------

    @abstractmethod
    def count(self) -> int:
        """The rows the export holds (for a dataset without rows: how many records it covers)."""

    def covered(self) -> int:
        """What a dataset without rows reports as its size (its progress and row count); count() by default."""
        return self.count()

    def layout(self, style: Style) -> Layout:
        return Layout(fields=())

    def rows(self, style: Style) -> Iterator[Sequence]:
        """One sequence of cell values per row, in the layout's order, streamed."""
        return iter(())

    def tables(self) -> list[Table]:
        """Small tables shown after the rows (Excel sheets), e.g. a summary or analytics breakdowns."""
        return []

    def documents(self) -> dict[str, object]:
        """Named JSON values that are part of the export (in the JSON document and as ZIP members)."""
        return {}

    def attachments(self) -> dict[str, object]:
        """Named JSON values only a package (ZIP) adds beside the rows."""
        return {}

    def metadata(self) -> dict:
        context = self.context
        return {
            "generated_at": context.generated_at_local.isoformat(),
            "generated_by": context.generated_by,
            "export_id": context.export_id,
            "data_type": self.key,
            "filters": dict(context.filters),
            "filters_summary": self.filters_summary(),
            "update_ready": context.update_ready,
            "include_contact_info": context.include_contact_info,
            "transformations": context.transforms.as_dict(),
        }

    def privacy_facts(self) -> list[tuple[str, object]]:
        """Lines the "what this file holds" table adds about the do-not-contact list (none by default)."""
        return []

    def filters_summary(self) -> str:
        from leads.filter_summary import lead_filters_summary

        return lead_filters_summary(filters=self.context.filters)

    def about_table(self, *, rows: int, style: Style = Style.TABLE) -> Table:
        """The "Filters" table: who exported what, when, how many rows, and the spec as stored."""
        context = self.context
        facts = [
            ("Exported by", context.generated_by or "-"),
            (f"Exported at ({timezone.get_default_timezone_name()})", context.generated_at_local),
            ("Export id", context.export_id or "-"),
            ("Data", self.label),
            ("Rows", rows),
            ("Filters", self.filters_summary()),
            ("Update-ready (ids and raw codes)", context.update_ready),
            ("Contact information included", context.include_contact_info),
            *context.transforms.summary(),
            *self.privacy_facts(),
            ("Columns", ", ".join(self.layout(style).names)),
        ]
        body = [TableRow((label, value), styles=(CellStyle.BOLD,)) for label, value in facts]
        body.append(TableRow())
        body.append(TableRow(("Filter parameter", "Value (as stored; replays the same leads)"), heading=True))
        body.extend(TableRow((name, value)) for name, value in context.filters.items())
        return Table(name="Filters", title="What this file holds", rows=tuple(body))

    # --- optional fast paths ------------------------------------------------------------------------

    def copy_csv_rows(self, *, write: Callable[[bytes], object], on_progress: ProgressCallback) -> int | None:
        """Write the TABLE rows as RFC 4180 CSV bytes (no header) by a faster route; None when there is none."""
        return None

    def values_source(self, style: Style) -> ValuesSource | None:
        """Lead columns a format may read from raw values_list tuples with its own encoder; None otherwise."""
        return None

    def lead_ids(self) -> Iterator[int] | None:
        """The ids of the leads the rows hold (recorded beside the export for erasures); None: no leads."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"
