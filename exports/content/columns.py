"""Every lead column an export can hold, declared once and read by every format.

A column has a key (what users choose and what export records store), a label, whether it is
contact data, its kind (how formats encode it) and, per value mode, which ORM fields it reads and
how they become the cell value:

- READABLE (CSV and Excel by default): labels as headers, status labels, location and category
  names, dates in the site's time zone (TIME_ZONE) with the zone named in the header.
- RAW ("update-ready" option, `export.options["update_ready"]`): ids and raw codes under the field
  names the lead import (leads/importing/fields.py) reads, ISO 8601 date-times, so the file re-imports
  and updates those leads. Only importable columns are written, with id, source_post_id and
  location always first (see `columns_for_update`).
- DOCUMENT (JSON): column keys as keys, raw status codes, nested location and category objects,
  ISO 8601 date-times, money as strings with two decimals.

Contact columns (contact name, e-mail, phone) are dropped unless contact info is included.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import timezone

from leads.importing.fields import LEAD_FILE_FIELDS, LEAD_FILE_LABELS
from leads.models import LeadStatus


class ValueMode(StrEnum):
    READABLE = "readable"
    RAW = "raw"
    DOCUMENT = "document"


class CellKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"  # Decimal with two places
    DATETIME = "datetime"  # aware datetime
    OBJECT = "object"  # a dict (JSON's nested location and category)


@dataclass(frozen=True)
class Reader:
    """The ORM fields (values_list paths) a column reads in one mode, and how they become its value.

    `convert` receives the fields' values in order; None means "the single field's value as is".
    """

    fields: tuple[str, ...]
    convert: Callable | None = None
    kind: CellKind | None = None  # None: the column's kind


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: CellKind
    readable: Reader
    is_contact: bool = False
    import_name: str | None = None  # header the lead import reads; None: not importable
    raw: Reader | None = None  # None: as readable
    document: Reader | None = field(default=None)  # None: as raw
    # An SQL expression factory (zone -> expression) for PostgreSQL COPY when the reader is not a plain field.
    copy_sql: Callable | None = None

    @property
    def header(self) -> str:
        """The human header; date columns name the site's time zone."""
        if self.kind == CellKind.DATETIME:
            return f"{self.label} ({timezone.get_default_timezone_name()})"
        return self.label

    def header_for(self, mode: ValueMode) -> str:
        if mode == ValueMode.READABLE:
            return self.header
        if mode == ValueMode.RAW:
            return self.import_name or self.key
        return self.key

    def reader(self, mode: ValueMode) -> Reader:
        if mode == ValueMode.READABLE:
            return self.readable
        if mode == ValueMode.RAW:
            return self.raw or self.readable
        return self.document or self.raw or self.readable

    def kind_for(self, mode: ValueMode) -> CellKind:
        return self.reader(mode).kind or self.kind


_STATUS_LABELS = dict(LeadStatus.choices)


def _status_label(code: str) -> str:
    return _STATUS_LABELS.get(code, code)


def _money_text(value) -> str | None:
    return None if value is None else str(value)


class CachedObject:
    """Builds {"id", keys...} from a row's values once per id and export (the dicts are shared: read-only).

    row_plan takes a fresh() copy per plan, so a renamed location shows in the next export.
    """

    def __init__(self, *keys: str):
        self.keys = ("id", *keys)
        self._cache: dict = {}

    def fresh(self) -> "CachedObject":
        return CachedObject(*self.keys[1:])

    def __call__(self, pk, *values) -> dict:
        found = self._cache.get(pk)
        if found is None:
            found = self._cache[pk] = dict(zip(self.keys, (pk, *values), strict=True))
        return found


_location_object = CachedObject("name", "site_code", "region")
_category_object = CachedObject("name", "code")


def _text(key, label=None, *, path=None, contact=False, importable=True) -> Column:
    return Column(
        key=key,
        label=label or LEAD_FILE_LABELS[key],
        kind=CellKind.TEXT,
        readable=Reader((path or key,)),
        is_contact=contact,
        import_name=key if importable else None,
    )


def _datetime(key, label=None, *, importable=True) -> Column:
    return Column(
        key=key,
        label=label or LEAD_FILE_LABELS[key],
        kind=CellKind.DATETIME,
        readable=Reader((key,)),
        import_name=key if importable else None,
    )


LEAD_COLUMNS: tuple[Column, ...] = (
    Column(key="id", label=LEAD_FILE_LABELS["id"], kind=CellKind.INTEGER, readable=Reader(("id",)), import_name="id"),
    _text("source_post_id"),
    _text("title"),
    _text("description"),
    Column(
        key="price",
        label=LEAD_FILE_LABELS["price"],
        kind=CellKind.MONEY,
        readable=Reader(("price",)),
        import_name="price",
        document=Reader(("price",), _money_text, kind=CellKind.TEXT),
    ),
    Column(
        key="status",
        label=LEAD_FILE_LABELS["status"],
        kind=CellKind.TEXT,
        readable=Reader(("status",), _status_label),
        raw=Reader(("status",)),
        import_name="status",
    ),
    Column(
        key="location",
        label=LEAD_FILE_LABELS["location"],
        kind=CellKind.TEXT,
        readable=Reader(("location__name",)),
        raw=Reader(("location__site_code",)),
        document=Reader(
            ("location_id", "location__name", "location__site_code", "location__region"),
            _location_object,
            kind=CellKind.OBJECT,
        ),
        import_name="location",
    ),
    _text("location_code", "Location code", path="location__site_code", importable=False),
    Column(
        key="category",
        label=LEAD_FILE_LABELS["category"],
        kind=CellKind.TEXT,
        readable=Reader(("category__name",)),
        raw=Reader(("category__code",)),
        document=Reader(("category_id", "category__name", "category__code"), _category_object, kind=CellKind.OBJECT),
        import_name="category",
    ),
    _text("category_code", "Category code", path="category__code", importable=False),
    _text("url"),
    _text("contact_name", contact=True),
    _text("email", contact=True),
    _text("phone", contact=True),
    # What the post said, beside the normalised e-mail and phone above (leads.contact_fields).
    _text("email_as_posted", "E-mail as posted", contact=True, importable=False),
    _text("phone_as_posted", "Phone as posted", contact=True, importable=False),
    _text("contact_quality", "Contact quality", importable=False),
    _datetime("posted_at"),
    _datetime("scraped_at"),
    _datetime("updated_at", "Updated at", importable=False),
    Column(key="scrape_run_id", label="Scrape run ID", kind=CellKind.INTEGER, readable=Reader(("scrape_run_id",))),
)

COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in LEAD_COLUMNS}

# Every column the lead import reads, so a default update-ready file round-trips completely.
DEFAULT_COLUMN_KEYS: tuple[str, ...] = LEAD_FILE_FIELDS


def columns_resolve(*, keys: Sequence[str] | None, include_contact_info: bool) -> list[Column]:
    """The columns for `keys` in the order given (None or empty: the defaults).

    Unknown or repeated keys raise ValidationError({"columns": [...]}). Contact columns are
    dropped, not refused, when `include_contact_info` is False: a column choice saved with contact
    info stays usable without it.
    """
    chosen = list(keys) if keys else list(DEFAULT_COLUMN_KEYS)
    unknown = [key for key in chosen if key not in COLUMNS_BY_KEY]
    if unknown:
        known = ", ".join(COLUMNS_BY_KEY)
        raise ValidationError(
            {"columns": [f"Unknown column(s): {', '.join(map(str, unknown))}. Choose from: {known}."]}
        )
    repeated = sorted({key for key in chosen if chosen.count(key) > 1})
    if repeated:
        raise ValidationError({"columns": [f"Each column may be chosen once; repeated: {', '.join(repeated)}."]})
    columns = [COLUMNS_BY_KEY[key] for key in chosen]
    if not include_contact_info:
        columns = [column for column in columns if not column.is_contact]
    if not columns:
        raise ValidationError({"columns": ["Choose at least one column that is not contact information."]})
    return columns


# The lead import finds a lead by location + post id and checks the id: every update-ready file has them.
UPDATE_IDENTITY_KEYS = ("id", "source_post_id", "location")


def columns_for_update(columns: Sequence[Column]) -> list[Column]:
    """The columns an update-ready file holds: id, post id and location, then the other chosen importable ones.

    The identity columns come first (added when not chosen), as the lead import needs them on
    every row to find the lead; columns the import does not read (location code, category code,
    updated at, scrape run id) are left out.
    """
    identity = [COLUMNS_BY_KEY[key] for key in UPDATE_IDENTITY_KEYS]
    others = [column for column in columns if column.import_name and column.key not in UPDATE_IDENTITY_KEYS]
    return [*identity, *others]
