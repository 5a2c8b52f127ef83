"""Transformation options of one export, applied in the dataset's columns so every format gets them.

Stored in `Export.options` (and saved exports' options) beside csv_bom / update_ready:

- `phone_format`: `e164` | `as_posted` (what the post said) | `national` ("(415) 555-0165");
  without it, the number as stored (E.164 once the contact normalisation keeps it normalised);
- `contact_mode`: `plain` (default) | `masked` (`j***@example.com`, `***-***-0165`, `J***`) |
  `hashed` (lower-case hex SHA-256 of the e-mail trimmed and lower-cased whole, of the E.164 phone,
  of the trimmed lower-cased contact name; empty for a phone that does not parse). Masked and hashed
  exports may be made by users without the contact permission; plain contact values may not;
- `date_style`: `iso` (default: what the format writes today) | `locale` (the site language's
  short date-time format, as text);
- `headers`: `labels` | `fields` (default: the format's own, labels for CSV/Excel and field names
  for JSON);
- `one_per_duplicate_group`: true keeps one lead per duplicate group (the spec's `duplicates=first`).

Every contact column also reads whether the lead is on the do-not-contact list: a suppressed
lead's contact cells are empty in every format and mode (`leads.suppression`).

The transformations are Column readers (`exports.columns`), so the row plans, the JSON fast path
and the portable CSV path all apply them; COPY (exports.formats.pg_copy) takes the columns it can
express in SQL (`Column.copy_sql`: plain contact values with the suppression check) and leaves the
others (masked, hashed, national or as-posted phones, locale dates) to the portable path.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

from django.db.models import Case, F, TextField, Value, When
from django.utils import formats, timezone

from exports.columns import CellKind, Column, Reader, ValueMode
from leads.models import Lead
from leads.suppression import suppressed_expression

SUPPRESSED_FIELD = "is_suppressed"  # the annotation the rows read (exports.rows adds it)
CHOICES: dict[str, tuple[str, ...]] = {
    "phone_format": ("e164", "as_posted", "national"),
    "contact_mode": ("plain", "masked", "hashed"),
    "date_style": ("iso", "locale"),
    "headers": ("labels", "fields"),
}
BOOLEAN = ("one_per_duplicate_group",)
# The stored phone is E.164 once the contact normalisation keeps what the post said beside it.
_PHONE_AS_POSTED = "phone_as_posted" if any(f.name == "phone_as_posted" for f in Lead._meta.get_fields()) else ""


@dataclass(frozen=True)
class Transforms:
    phone_format: str = ""  # "": as stored (E.164 once the contact normalisation keeps numbers normalised)
    contact_mode: str = "plain"
    date_style: str = "iso"
    headers: str = ""  # "": the format's own
    one_per_duplicate_group: bool = False

    @classmethod
    def from_options(cls, options: Mapping | None) -> "Transforms":
        options = options or {}
        return cls(**{item.name: options[item.name] for item in fields(cls) if options.get(item.name) is not None})

    def summary(self) -> list[tuple[str, str]]:
        return [
            ("Phone format", self.phone_format or "as stored"),
            ("Contact values", self.contact_mode),
            ("Dates", self.date_style),
            ("Headers", self.headers or "the format's own"),
            ("One lead per duplicate group", "yes" if self.one_per_duplicate_group else "no"),
        ]

    def as_dict(self) -> dict:
        return {item.name: getattr(self, item.name) for item in fields(self)}


def options_errors(options: Mapping) -> list[str]:
    """Messages for bad transformation options (empty when they are fine)."""
    errors = []
    for name, choices in CHOICES.items():
        value = options.get(name)
        if value is not None and value not in choices:
            errors.append(f"The option {name!r} must be one of: {', '.join(choices)} (got {value!r}).")
    for name in BOOLEAN:
        if name in options and not isinstance(options[name], bool):
            errors.append(f"The option {name!r} must be true or false.")
    if options.get("update_ready"):
        if options.get("contact_mode", "plain") != "plain":
            errors.append("An update-ready file re-imports its values: its contact values must be plain.")
        if options.get("date_style", "iso") != "iso":
            errors.append("An update-ready file re-imports its values: its dates must be iso.")
    return errors


def needs_contact_permission(options: Mapping | None) -> bool:
    """Plain contact values need the contact permission; masked and hashed ones do not."""
    return (options or {}).get("contact_mode", "plain") == "plain"


def columns_transformed(columns: Sequence[Column], mode: ValueMode, transforms: Transforms) -> tuple[Column, ...]:
    return tuple(_column(column, mode, transforms) for column in columns)


def header_for(column: Column, mode: ValueMode, transforms: Transforms) -> str:
    if transforms.headers == "labels":
        return column.header
    if transforms.headers == "fields":
        return column.import_name or column.key
    return column.header_for(mode)


def _column(column: Column, mode: ValueMode, transforms: Transforms) -> Column:
    reader = column.reader(mode)
    if column.is_contact:
        path = reader.fields[0]
        if column.key == "phone" and transforms.phone_format == "as_posted" and _PHONE_AS_POSTED:
            path = _PHONE_AS_POSTED
        value = _contact_value(column.key, transforms)
        convert = _Blanked(value)
        new = Reader((path, SUPPRESSED_FIELD), convert, kind=CellKind.TEXT)
        copy_sql = _plain_copy_sql(path) if value is None else None
        return replace(column, readable=new, raw=new, document=new, copy_sql=copy_sql)
    if transforms.date_style == "locale" and column.kind == CellKind.DATETIME:
        new = Reader(reader.fields, _locale_datetime, kind=CellKind.TEXT)
        return replace(column, readable=new, raw=new, document=new)
    return column


class _Blanked:
    """A contact cell: empty for a suppressed lead, else the value (transformed when `convert`)."""

    def __init__(self, convert):
        self.convert = convert

    def __call__(self, value, suppressed):
        if suppressed or not value:
            return ""
        return value if self.convert is None else self.convert(value)


def _plain_copy_sql(path: str):
    def expression(zone: str):
        return Case(When(suppressed_expression(), then=Value("")), default=F(path), output_field=TextField())

    return expression


def _contact_value(key: str, transforms: Transforms):
    """The function a contact value goes through (None: as stored)."""
    mode = transforms.contact_mode
    if key == "email":
        return {"masked": mask_email, "hashed": hash_email}.get(mode)
    if key == "phone":
        if mode == "hashed":
            return hash_phone
        shown = _PHONE_SHOWN.get(transforms.phone_format)
        if mode == "masked":
            return mask_phone
        return shown
    return {"masked": mask_name, "hashed": hash_name}.get(mode)


def mask_email(value: str) -> str:
    local, at, domain = value.strip().rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain.lower()}"


def mask_phone(value: str) -> str:
    digits = [char for char in value if char.isdigit()]
    return "***-***-" + "".join(digits[-4:]) if len(digits) >= 4 else "***"


def mask_name(value: str) -> str:
    return f"{value.strip()[:1]}***"


def hash_email(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def hash_phone(value: str) -> str:
    e164 = phone_e164(value)
    return hashlib.sha256(e164.encode("utf-8")).hexdigest() if e164 else ""


def hash_name(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def phone_e164(value: str) -> str:
    """The number in E.164 ("" when it does not parse)."""
    number = _parsed(value)
    if number is None:
        return ""
    import phonenumbers

    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_national(value: str) -> str:
    number = _parsed(value)
    if number is None:
        return value
    import phonenumbers

    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _phone_e164_or_stored(value: str) -> str:
    return phone_e164(value) or value


def _parsed(value: str):
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


# The stored phone is E.164 once normalised at rest (then e164 reads it as it is and COPY can write it).
_PHONE_SHOWN = {
    "e164": None if _PHONE_AS_POSTED else _phone_e164_or_stored,
    "as_posted": None,
    "national": phone_national,
}


def _locale_datetime(value) -> str | None:
    if value is None:
        return None
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
