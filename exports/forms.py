"""The admin's export form: format, columns (chosen and ordered), contact info and format options.

The filter spec is not part of the form: it travels in the page's query string, the way the
changelist carries it, and is validated by the one LeadFilterSet inside the export service.
"""

from dataclasses import dataclass

from django import forms

from exports.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS, Column
from exports.formats.registry import format_choices
from exports.models import DEFAULT_FORMAT
from exports.transforms import CHOICES as TRANSFORM_CHOICES

VIEW_CONTACT_INFO = "exports.view_contact_info"


@dataclass(frozen=True)
class ColumnChoice:
    """One row of the column picker."""

    column: Column
    checked: bool

    @property
    def key(self) -> str:
        return self.column.key


FORMAT_OPTIONS = ("csv_bom", "update_ready")
# Transformation options (exports.transforms): a choice each ("" = the default), and one tick.
TRANSFORM_OPTIONS = (*TRANSFORM_CHOICES, "one_per_duplicate_group")
_TRANSFORM_LABELS = {
    "phone_format": (
        "Phone numbers",
        {"e164": "E.164 (+14155550165)", "as_posted": "As posted", "national": "National"},
    ),
    "contact_mode": (
        "Contact values",
        {"plain": "Plain", "masked": "Masked (j***@example.com)", "hashed": "Hashed (SHA-256)"},
    ),
    "date_style": ("Dates", {"iso": "ISO 8601", "locale": "The site language's format"}),
    "headers": ("Headers", {"labels": "Labels", "fields": "Field names"}),
}


def _transform_field(name: str) -> forms.ChoiceField:
    label, choices = _TRANSFORM_LABELS[name]
    return forms.ChoiceField(
        required=False,
        label=label,
        choices=[("", "Default"), *[(key, choices[key]) for key in TRANSFORM_CHOICES[name]]],
    )


class FormatOptionsForm(forms.Form):
    """The format options an export form offers (the admin's export page, saved exports)."""

    csv_bom = forms.BooleanField(
        required=False,
        label="Add a byte-order mark to CSV files",
        help_text="Lets Excel open accented characters correctly. Applies to CSV and the CSV inside ZIP.",
    )
    update_ready = forms.BooleanField(
        required=False,
        label="Update-ready file",
        help_text="Lead ids and raw codes instead of labels, so the file re-imports and updates these leads.",
    )

    phone_format = _transform_field("phone_format")
    contact_mode = _transform_field("contact_mode")
    date_style = _transform_field("date_style")
    headers = _transform_field("headers")
    one_per_duplicate_group = forms.BooleanField(
        required=False, label="One lead per duplicate group", help_text="Only the earliest lead of each group."
    )

    def format_options(self) -> dict:
        options = {name: bool(self.cleaned_data.get(name)) for name in FORMAT_OPTIONS}
        return options | transform_options(self.cleaned_data)


def transform_options(cleaned: dict) -> dict:
    """The transformation options a form's cleaned data chose (defaults left out)."""
    options = {name: cleaned[name] for name in TRANSFORM_CHOICES if cleaned.get(name)}
    if cleaned.get("one_per_duplicate_group"):
        options["one_per_duplicate_group"] = True
    return options


class LeadExportForm(FormatOptionsForm):
    format = forms.ChoiceField(widget=forms.RadioSelect, initial=DEFAULT_FORMAT)
    columns = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the columns to export; their order in the list is the order in the file.",
    )
    include_contact_info = forms.BooleanField(
        required=False,
        label="Include contact information (e-mail, phone, contact name)",
    )
    field_order = ("format", "columns", "include_contact_info", *FORMAT_OPTIONS, *TRANSFORM_OPTIONS)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the admin writes checkbox labels without a colon
        super().__init__(*args, **kwargs)
        self.can_include_contact_info = user.has_perm(VIEW_CONTACT_INFO)
        self.available_columns = [
            column for column in LEAD_COLUMNS if self.can_include_contact_info or not column.is_contact
        ]
        self.fields["format"].choices = format_choices()
        self.fields["columns"].choices = [(column.key, column.header) for column in self.available_columns]
        available_keys = [column.key for column in self.available_columns]
        # Contact columns start ticked: they stay hidden (and are not sent) until contact info is included.
        contact_keys = [column.key for column in self.available_columns if column.is_contact]
        self.fields["columns"].initial = [key for key in DEFAULT_COLUMN_KEYS if key in available_keys] + [
            key for key in contact_keys if key not in DEFAULT_COLUMN_KEYS
        ]
        if not self.can_include_contact_info:
            del self.fields["include_contact_info"]

    def clean(self):
        cleaned = super().clean()
        if "columns" in cleaned:
            keys = cleaned["columns"]
            if not cleaned.get("include_contact_info"):
                # Contact columns are hidden while contact info is off; a stale tick must not count.
                contact = {column.key for column in self.available_columns if column.is_contact}
                keys = [key for key in keys if key not in contact]
            if not keys:
                self.add_error("columns", "Choose at least one column.")
            cleaned["columns"] = keys
        return cleaned

    def export_arguments(self) -> dict:
        """The fields of exports.services.ExportRequest that this form decides."""
        data = self.cleaned_data
        return {
            "format": data["format"],
            "columns": data["columns"],
            "include_contact_info": bool(data.get("include_contact_info")),
            "options": self.format_options(),
        }

    def column_choices(self) -> list[ColumnChoice]:
        """The picker's rows: the chosen columns first, in the chosen order, then the rest."""
        chosen = self._chosen_keys()
        by_key = {column.key: column for column in self.available_columns}
        ordered = [by_key[key] for key in chosen if key in by_key]
        ordered += [column for column in self.available_columns if column.key not in chosen]
        return [ColumnChoice(column=column, checked=column.key in chosen) for column in ordered]

    def contact_info_checked(self) -> bool:
        if "include_contact_info" not in self.fields:
            return False
        return bool(self["include_contact_info"].value())

    def _chosen_keys(self) -> list[str]:
        value = self["columns"].value()
        if self.is_bound:
            return [str(key) for key in (value or [])]
        return list(value or [])
