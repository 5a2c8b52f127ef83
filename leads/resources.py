"""The lead import: the columns a file holds and how each becomes a lead field (django-import-export).

Columns, under these headers (case and surrounding spaces do not matter; other columns are ignored):

    id, source_post_id, location, category, url, title, description, price, status,
    contact_name, email, phone, posted_at, scraped_at

- `location` is the Craigslist site code (`sfbay`), `category` the category code (`sss`); an unknown
  code is a row error that names it. Both are required on every row.
- `status` is the code (`contacted`) or its label (`Contacted`), in any case.
- `price` is a number; a leading "$" and thousands commas are allowed (`$1,200.50`).
- `posted_at` and `scraped_at` are ISO 8601 (`2026-11-27T09:30:00-08:00`). Without an offset they are
  in the site's time zone (TIME_ZONE); a date alone means midnight.

Which lead a row is (dedupe). The pair location + source_post_id identifies a lead, as it does for the
scraper (the model's unique constraint):

- A row whose pair matches an existing lead updates that lead; any other row adds a new lead.
- `id` is optional and is a check, never a key of its own: when a row gives an id, its location and
  source_post_id must be those of the lead with that id. An id that no lead has, or that names another
  lead than the pair, is a row error. So an "update-ready" export (ids and raw codes) re-imports as
  updates of exactly those leads, a file from another database (other ids) cannot update the wrong
  leads, and an import never moves a lead to another location or post id. Leave id empty for new leads.
- When a pair appears twice in one file, the later row updates what the earlier one wrote.

Blank cells: blank text clears the field; a blank price or posted_at clears it; a blank status or
scraped_at leaves the lead's value (a new lead starts as "new", found now). A column missing from the
file leaves that field as it is; a new lead needs at least a title and a category.

Rows equal to the stored lead are skipped (skip_unchanged), so importing the same file twice changes
nothing. An import is all or nothing: it runs in one transaction that is rolled back when any row has
an error, validation errors included (see `LeadResource.import_data`).
"""

import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import ModelInstanceLoader
from import_export.widgets import ForeignKeyWidget, Widget

from leads.models import Category, Lead, LeadStatus, Location

# Import columns in file order; an update-ready export writes them with these headers.
LEAD_IMPORT_COLUMNS = (
    "id",
    "source_post_id",
    "location",
    "category",
    "url",
    "title",
    "description",
    "price",
    "status",
    "contact_name",
    "email",
    "phone",
    "posted_at",
    "scraped_at",
)
# Every file needs these: they say which lead a row is.
IDENTITY_COLUMNS = ("location", "source_post_id")
# A new lead cannot be made without these (the file may leave them out when it only updates).
NEW_LEAD_COLUMNS = ("title", "category")
# Leads looked up per query when a file's existing leads are loaded.
LOOKUP_CHUNK = 500


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(Widget):
    """Text as given; a spreadsheet number (a post id or phone typed as a number) as its digits."""

    def __init__(self, *, strip: bool = False):
        super().__init__(coerce_to_string=True)
        self.strip = strip

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return text.strip() if self.strip else text


class CodeWidget(ForeignKeyWidget):
    """A location or category by its code, in any case; the codes are read once per import."""

    def __init__(self, model, field: str, *, noun: str, example: str):
        super().__init__(model, field=field)
        self.noun = noun
        self.example = example
        self._by_code = None

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dict):  # a JSON export's nested {"site_code": ...} / {"code": ...} object
            value = value.get(self.field)
        code = "" if value is None else str(value).strip()
        if not code:
            raise ValueError(f"Give the {self.noun}, e.g. {self.example}.")
        if self._by_code is None:
            self._by_code = {getattr(obj, self.field).lower(): obj for obj in self.model.objects.all()}
        found = self._by_code.get(code.lower())
        if found is None:
            raise ValueError(f"Unknown {self.noun} “{code}”.")
        return found


class StatusWidget(Widget):
    """A status code or label, in any case; blank gives None (the field is then left as it is)."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        text = str(value).strip().lower()
        for code, label in LeadStatus.choices:
            if text in (code, label.lower()):
                return code
        codes = ", ".join(LeadStatus.values)
        raise ValueError(f"“{str(value).strip()}” is not a lead status; use one of {codes} (or its label).")

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PriceWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"“{value}” is not a price; give a number such as 120 or 1,200.50.")
        if isinstance(value, float):
            value = str(value)  # the float's shortest form: 19.99, not 19.989999...
        text = str(value).strip().removeprefix("$").replace(",", "").strip()
        try:
            price = Decimal(text)
        except InvalidOperation:
            price = None
        if price is None or not price.is_finite():
            raise ValueError(f"“{str(value).strip()}” is not a price; give a number such as 120 or 1,200.50.")
        return price

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class MomentWidget(Widget):
    """ISO 8601 date-times (or a spreadsheet's date cell); naive ones are in the site's time zone."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            moment = datetime.datetime.combine(value, datetime.time())
        else:
            moment = self._parse(str(value).strip())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        return moment

    @staticmethod
    def _parse(text: str) -> datetime.datetime:
        try:
            moment = parse_datetime(text)
            if moment is None and (day := parse_date(text)) is not None:
                moment = datetime.datetime.combine(day, datetime.time())
        except ValueError:  # well formed but impossible, such as 2026-02-30
            moment = None
        if moment is None:
            raise ValueError(f"“{text}” is not a date and time; use ISO 8601, e.g. 2026-11-27T09:30:00-08:00.")
        return moment

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else timezone.localtime(value, timezone.get_default_timezone()).isoformat()


class LeadIdWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or int(text) == 0:
            raise ValueError(f"“{text}” is not a lead id; give the id of a lead, or leave it empty for a new lead.")
        return int(text)


class MomentField(Field):
    """Keeps a stored date-time's fraction of a second when the file gives the same moment to the second.

    Files often hold whole seconds (spreadsheets, readable exports) while the database keeps microseconds;
    without this, re-importing an unchanged file would rewrite every date and no row would be skipped.
    """

    def save(self, instance, row, is_m2m=False, **kwargs):
        moment = self.clean(row, **kwargs)
        if moment is None and not self.saves_null_values:
            return
        stored = getattr(instance, self.attribute)
        if (
            moment is not None
            and stored is not None
            and moment.microsecond == 0
            and stored.replace(microsecond=0) == moment
        ):
            return
        setattr(instance, self.attribute, moment)


class LeadInstanceLoader(ModelInstanceLoader):
    """Finds the leads a file names by location + source_post_id: all at once, not one query per row.

    The existing leads of the whole file are loaded in a few queries before the first row. A pair the
    file gives more than once is looked up afresh for each of its rows, so a later row finds the lead
    an earlier row of the same file added, and never an object an invalid earlier row left half-changed.
    """

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self._found: dict[tuple[int, str], Lead] | None = None
        self._repeated: set[tuple[int, str]] = set()

    def _key(self, row) -> tuple[int, str] | None:
        try:
            location = self.resource.fields["location"].clean(row)
        except ValueError:
            return None  # the row's own field errors say why
        post_id = self.resource.fields["source_post_id"].clean(row)
        return (location.pk, post_id) if post_id else None

    def _load(self) -> None:
        rows = self.dataset.dict if self.dataset is not None else []
        counts = Counter(key for key in map(self._key, rows) if key is not None)
        self._repeated = {key for key, count in counts.items() if count > 1}
        wanted = set(counts)
        post_ids = sorted({post_id for _, post_id in wanted})
        locations = {location_id for location_id, _ in wanted}
        self._found = {}
        for start in range(0, len(post_ids), LOOKUP_CHUNK):
            leads = self.get_queryset().filter(
                location_id__in=locations, source_post_id__in=post_ids[start : start + LOOKUP_CHUNK]
            )
            for lead in leads:
                key = (lead.location_id, lead.source_post_id)
                if key in wanted:
                    self._found[key] = lead

    def get_queryset(self):
        return super().get_queryset().select_related("location", "category")

    def get_instance(self, row):
        if self._found is None:
            self._load()
        key = self._key(row)
        if key is None:
            return None
        if key in self._repeated:
            return self.get_queryset().filter(location_id=key[0], source_post_id=key[1]).first()
        return self._found.get(key)


def _text(column: str, *, strip: bool = False) -> Field:
    return Field(attribute=column, column_name=column, widget=TextWidget(strip=strip))


class LeadResource(resources.ModelResource):
    """Lead rows in and out of CSV, Excel and JSON files; the module docstring gives the rules."""

    id = Field(attribute="id", column_name="id", widget=LeadIdWidget(), readonly=True)
    source_post_id = _text("source_post_id", strip=True)
    location = Field(
        attribute="location",
        column_name="location",
        widget=CodeWidget(Location, "site_code", noun="location site code", example="sfbay"),
    )
    category = Field(
        attribute="category",
        column_name="category",
        widget=CodeWidget(Category, "code", noun="category code", example="sss"),
    )
    url = _text("url", strip=True)
    title = _text("title")
    description = _text("description")
    price = Field(attribute="price", column_name="price", widget=PriceWidget())
    status = Field(attribute="status", column_name="status", widget=StatusWidget(), saves_null_values=False)
    contact_name = _text("contact_name")
    email = _text("email", strip=True)
    phone = _text("phone", strip=True)
    posted_at = MomentField(attribute="posted_at", column_name="posted_at", widget=MomentWidget())
    scraped_at = MomentField(
        attribute="scraped_at", column_name="scraped_at", widget=MomentWidget(), saves_null_values=False
    )

    class Meta:
        model = Lead
        fields = LEAD_IMPORT_COLUMNS
        import_order = LEAD_IMPORT_COLUMNS
        export_order = LEAD_IMPORT_COLUMNS
        import_id_fields = IDENTITY_COLUMNS
        instance_loader_class = LeadInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def get_display_name(cls) -> str:
        return "Leads"

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """Imports `dataset` all or nothing: any row error, validation errors included, rolls back every row."""
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
        )

    def get_or_init_instance(self, instance_loader, row):
        lead, new = super().get_or_init_instance(instance_loader, row)
        self._check_id(row, found=None if new else lead)
        return lead, new

    def _check_id(self, row, *, found: Lead | None) -> None:
        """A row's `id`, when given, must be the id of the lead its location + source_post_id name."""
        if _is_blank(row.get("id")):
            return
        try:
            lead_id = self.fields["id"].clean(row)
        except ValueError as error:
            raise ValidationError({"id": str(error)}) from None
        if found is not None:
            if found.pk != lead_id:
                raise ValidationError(
                    {
                        "id": f"Id {lead_id} does not match this row's location and source_post_id, which are "
                        f"lead {found.pk}'s. An import cannot change a lead's location or post id."
                    }
                )
            return
        named = Lead.objects.select_related("location").filter(pk=lead_id).first()
        if named is None:
            raise ValidationError({"id": f"No lead has id {lead_id}. Leave id empty to add a new lead."})
        raise ValidationError(
            {
                "id": f"Lead {lead_id} is post {named.source_post_id} at {named.location.site_code}, not this "
                "row's location and source_post_id. An import cannot change a lead's location or post id."
            }
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean, less location and category: the code lookup already found them.

        (full_clean would query each again, for every row. Leaving them out also skips the model's
        location + source_post_id uniqueness check, which dedupe and the id rule already ensure; the
        database constraint still stands behind it.)
        """
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "location", "category"], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None:
            for column in NEW_LEAD_COLUMNS:
                if column not in row:
                    errors.setdefault(column, []).append(
                        ValidationError(f"A new lead needs a {column}, and the file has no “{column}” column.")
                    )
        if errors:
            raise ValidationError(errors)
