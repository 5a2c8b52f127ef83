"""Cleaning one row's cells into lead field values, with a message per bad field.

The rules (a file, the admin and an ingest batch share them):

- `location` is the Craigslist site code (`sfbay`) or the location's name ("SF bay area"),
  `category` the category code (`sss`) or its name ("for sale"), in any case; a JSON export's
  nested {"site_code": ...} / {"code": ...} objects are understood too. An unknown code or name,
  or a name several locations share, is a row error that says so.
- `status` is the code (`contacted`) or its label (`Contacted`), in any case.
- `price` is a number; a leading "$" and thousands commas are allowed (`$1,200.50`).
- `posted_at` and `scraped_at` are ISO 8601 (`2026-11-27T09:30:00-08:00`) or a spreadsheet's date
  cell. Without an offset they are in the site's time zone (TIME_ZONE); a date alone means midnight.
- Blank text clears the field; a blank price or posted_at clears it; a blank status or scraped_at
  leaves the lead's value (a new lead starts as "new", found now).
- No text may hold a NUL character or a lone UTF-16 surrogate (neither can be stored faithfully).
- `email` and `phone` are never refused for their form (only for their length): once the row is
  merged with the stored lead, `leads.contact_fields.contacts_settle` normalises them (E.164, the
  domain lower-cased), keeps what the post said in `*_as_posted`, flags them valid or invalid and,
  when the post gave neither, looks for them in the title and description.

Contact fields' messages never repeat the value, so a preview shown to someone without the contact
permission reveals nothing.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from leads.cell_safety import CUT_MARKER
from leads.import_cells import CUT_EXPLAINED, CUT_PROBLEM
from leads.importing.errors import printable
from leads.importing.fields import CONTACT_FIELDS, LEAD_FILE_FIELDS
from leads.models import Category, Lead, LeadStatus, Location

_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
_STATUS_BY_TEXT = {text.lower(): code for code, label in LeadStatus.choices for text in (code, label)}
_URL = URLValidator()
_PRICE_DIGITS = DecimalValidator(Lead._meta.get_field("price").max_digits, Lead._meta.get_field("price").decimal_places)
_MAX_LENGTH = {
    name: Lead._meta.get_field(name).max_length
    for name in ("source_post_id", "url", "title", "contact_name", "email", "phone")
}
# Returned by a cleaner for a blank cell that leaves the lead's value as it is.
KEEP = object()


class FieldError(ValueError):
    """A cell's value cannot be used; the message names no field (the caller does)."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a post id or phone a spreadsheet stored as a number
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return value if isinstance(value, str) else str(value)


def check_characters(text: str) -> None:
    found = _BAD_CHARACTERS.search(text)
    if found is None:
        return
    if found.group() == "\x00":
        raise FieldError("contains a NUL character")
    raise FieldError("contains a lone UTF-16 surrogate, which is not a character")


def _check_cell(cell) -> None:
    if isinstance(cell, str):
        check_characters(cell)
    elif isinstance(cell, dict):
        for value in cell.values():
            _check_cell(value)


def _shown(value, field: str) -> str:
    return "the value" if field in CONTACT_FIELDS else f"“{printable(str(value).strip())[:80]}”"


def _text_cleaner(field: str, *, strip: bool, required: bool = False, noun: str = "") -> Callable:
    limit = _MAX_LENGTH.get(field)

    def clean(value):
        text = value if isinstance(value, str) else _text_of(value)
        if text.endswith(CUT_MARKER):  # a workbook's cut cell: importing it would overwrite the whole value
            raise FieldError(CUT_PROBLEM + "; " + CUT_EXPLAINED)
        if strip:
            text = text.strip()
        if required and not text:  # spaces are a text the database holds: they round-trip
            raise FieldError(f"give the {noun or field}")
        if limit is not None and len(text) > limit:
            raise FieldError(f"is {len(text):,} characters long; at most {limit:,} fit")
        return text

    return clean


def _validated(validator, field: str, noun: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        if not text:
            return None
        try:
            validator(text)
        except ValidationError:
            return f"{_shown(text, field)} is not a valid {noun}"
        return None

    return check


# Checked only when the value is new or differs from the stored lead's (a stored value was accepted
# already): the URL validator is the slowest part of cleaning a row. E-mail addresses and phone
# numbers are not refused: they are normalised and flagged valid or invalid (leads.contact_fields).
DEFERRED_CHECKS: dict[str, Callable[[str], str | None]] = {
    "url": _validated(_URL, "url", "URL"),
}


def _price(value):
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise FieldError(f"“{value}” is not a price; give a number such as 120 or 1,200.50")
    if isinstance(value, float):
        value = str(value)  # the float's shortest form: 19.99, not 19.989999...
    text = _text_of(value)
    text = text.strip().removeprefix("$").replace(",", "").strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite():
        raise FieldError(
            f"“{printable(str(value).strip())[:80]}” is not a price; give a number such as 120 or 1,200.50"
        )
    try:
        _PRICE_DIGITS(price)
    except ValidationError as error:
        raise FieldError(f"“{text}”: {' '.join(error.messages).rstrip('.')}") from None
    return price


def _status(value):
    if _blank(value):
        return KEEP
    text = _text_of(value)
    code = _STATUS_BY_TEXT.get(text.strip().lower())
    if code is None:
        codes = ", ".join(LeadStatus.values)
        raise FieldError(f"“{text.strip()[:80]}” is not a lead status; use one of {codes} (or its label)")
    return code


def _moment(value, *, keep_blank: bool):
    if _blank(value):
        return KEEP if keep_blank else None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = _text_of(value).strip()
        try:
            moment = datetime.datetime.fromisoformat(text)  # fast, and most files hold ISO 8601
        except ValueError:
            moment = _parsed(text)
        if moment is None:
            raise FieldError(f"“{text[:80]}” is not a date and time; use ISO 8601, e.g. 2026-11-27T09:30:00-08:00")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _parsed(text: str) -> datetime.datetime | None:
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:  # well formed but impossible, such as 2026-02-30
        moment = None
    return moment


def _lead_id(value):
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text_of(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or int(text) == 0:
        raise FieldError(f"“{text[:80]}” is not a lead id; give the id of a lead, or leave it empty for a new lead")
    return int(text)


class _Lookup:
    """A location or category by code or name, case-insensitive; the table is read once per import."""

    def __init__(self, model, code_field: str, *, noun: str, example: str):
        self.model, self.code_field, self.noun, self.example = model, code_field, noun, example
        self._by_text: dict[str, int | None] | None = None

    def _load(self) -> dict[str, int | None]:
        by_name: dict[str, int | None] = {}
        by_code: dict[str, int] = {}
        for pk, code, name in self.model.objects.values_list("pk", self.code_field, "name"):
            by_code[code.lower()] = pk
            key = name.strip().lower()
            by_name[key] = None if key in by_name else pk  # None: a name several share
        return {**by_name, **by_code}  # a code wins over a name that happens to look like it

    def __call__(self, value) -> int:
        if isinstance(value, dict):  # a JSON export's nested object
            value = value.get(self.code_field, value.get("name"))
        text = _text_of(value).strip()
        if not text:
            raise FieldError(f"give the {self.noun} (its code, e.g. {self.example}, or its name)")
        if self._by_text is None:
            self._by_text = self._load()
        key = text.lower()
        if key not in self._by_text:
            raise FieldError(f"unknown {self.noun} “{text[:80]}”")
        found = self._by_text[key]
        if found is None:
            raise FieldError(f"several {self.noun}s are named “{text[:80]}”; give its code")
        return found


class RowCleaner:
    """Turns a row mapping (field name -> cell) into model values, or field errors.

    One instance per import: it caches the location and category tables.
    """

    def __init__(self):
        self._cleaners: dict[str, Callable] = {
            "id": _lead_id,
            "source_post_id": _text_cleaner("source_post_id", strip=True, required=True, noun="source_post_id"),
            "title": _text_cleaner("title", strip=False, required=True, noun="title"),
            "description": _text_cleaner("description", strip=False),
            "price": _price,
            "status": _status,
            "location": _Lookup(Location, "site_code", noun="location", example="sfbay"),
            "category": _Lookup(Category, "code", noun="category", example="sss"),
            "url": _text_cleaner("url", strip=True),
            "contact_name": _text_cleaner("contact_name", strip=False),
            "email": _text_cleaner("email", strip=True),
            "phone": _text_cleaner("phone", strip=True),
            "posted_at": lambda value: _moment(value, keep_blank=False),
            "scraped_at": lambda value: _moment(value, keep_blank=True),
        }
        assert set(self._cleaners) == set(LEAD_FILE_FIELDS)

    def clean(self, row: Mapping[str, object]) -> tuple[dict[str, object], dict[str, list[str]]]:
        """(values, errors): values by field (location/category as ids), errors by field."""
        values: dict[str, object] = {}
        errors: dict[str, list[str]] = {}
        try:
            text = "".join(row.values())  # a CSV row: text only, joined in one C call
        except TypeError:  # numbers, dates, JSON objects: look at each cell
            text = "".join(cell for cell in row.values() if isinstance(cell, str))
            suspect = any(isinstance(cell, dict) for cell in row.values())
        else:
            suspect = False
        # One search per row; the cell-by-cell check only when it found something.
        suspect = suspect or _BAD_CHARACTERS.search(text) is not None
        cleaners = self._cleaners
        for field, cell in row.items():
            if field not in cleaners:
                continue
            try:
                if suspect:
                    _check_cell(cell)
                value = cleaners[field](cell)
            except FieldError as error:
                errors.setdefault(field, []).append(str(error))
                continue
            if value is not KEEP:
                values[field] = value
        for field in ("location", "source_post_id"):
            if field not in row:
                errors.setdefault(field, []).append(f"give the {field}; it says which lead the row is")
        return values, errors
