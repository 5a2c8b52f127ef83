"""The admin's export form: format, columns (chosen and ordered), contact info and format options.

The filter spec is not part of the form: it travels in the page's query string, the way the
changelist carries it, and is validated by the one LeadFilterSet inside the export service.
"""

from dataclasses import dataclass

from django import forms

from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS, Column
from exports.content.transforms import CHOICES as TRANSFORM_CHOICES
from exports.content.transforms import Transforms
from exports.formats.registry import format_choices
from exports.models import DEFAULT_FORMAT

VIEW_CONTACT_INFO = "exports.view_contact_info"
# What users without the contact permission may export contact columns as (exports.content.transforms).
CONTACT_MODES_WITHOUT_PERMISSION = ("masked", "hashed")
PLAIN_REFUSED = (
    "You may not export plain contact values: choose masked or hashed contact values, or leave contact information out."
)


@dataclass(frozen=True)
class ColumnChoice:
    """One row of the column picker."""

    column: Column
    checked: bool
    masked_only: bool = False  # a contact column offered to a user who may not see plain values

    @property
    def key(self) -> str:
        return self.column.key

    @property
    def label(self) -> str:
        return f"{self.column.header} (masked or hashed)" if self.masked_only else self.column.header


FORMAT_OPTIONS = ("csv_bom", "update_ready")
# Transformation options (exports.content.transforms): a choice each ("" = the default), and one tick.
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
        # Plain contact values need the permission; masked or hashed ones are offered to everyone.
        self.can_include_contact_info = user.has_perm(VIEW_CONTACT_INFO)
        self.available_columns = list(LEAD_COLUMNS)
        self.fields["format"].choices = format_choices()
        self.fields["columns"].choices = [(column.key, column.header) for column in self.available_columns]
        available_keys = [column.key for column in self.available_columns]
        # Contact columns start ticked: they stay hidden (and are not sent) until contact info is included.
        contact_keys = [column.key for column in self.available_columns if column.is_contact]
        self.fields["columns"].initial = [key for key in DEFAULT_COLUMN_KEYS if key in available_keys] + [
            key for key in contact_keys if key not in DEFAULT_COLUMN_KEYS
        ]
        if not self.can_include_contact_info:
            self._offer_masked_contact_only()

    def _offer_masked_contact_only(self) -> None:
        field = self.fields["include_contact_info"]
        field.label = "Include contact information, masked or hashed (e-mail, phone, contact name)"
        field.help_text = "Without the permission to view contact information, contact values are masked or hashed."
        mode = self.fields["contact_mode"]
        mode.choices = [(key, label) for key, label in mode.choices if key in CONTACT_MODES_WITHOUT_PERMISSION]
        mode.initial = CONTACT_MODES_WITHOUT_PERMISSION[0]
        mode.error_messages["invalid_choice"] = PLAIN_REFUSED

    def clean(self):
        cleaned = super().clean()
        if not self.can_include_contact_info:
            mode = cleaned.get("contact_mode")
            if not cleaned.get("include_contact_info"):
                cleaned["contact_mode"] = ""  # no contact columns: the (pre-chosen) mode is not an option taken
            elif "contact_mode" not in self.errors and mode not in CONTACT_MODES_WITHOUT_PERMISSION:
                self.add_error("contact_mode", PLAIN_REFUSED)
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
        masked_only = not self.can_include_contact_info
        return [
            ColumnChoice(column=column, checked=column.key in chosen, masked_only=masked_only and column.is_contact)
            for column in ordered
        ]

    def preview_transforms(self) -> Transforms:
        """How the page's preview shows contact values: as chosen, never plain to a user who may not see them."""
        value = self["contact_mode"].value() if "contact_mode" in self.fields else ""
        if self.can_include_contact_info:
            return Transforms(contact_mode=value if value in TRANSFORM_CHOICES["contact_mode"] else "plain")
        if value not in CONTACT_MODES_WITHOUT_PERMISSION:
            value = CONTACT_MODES_WITHOUT_PERMISSION[0]
        return Transforms(contact_mode=value)

    def preview_contact_modes(self) -> tuple[str, ...]:
        """The contact modes this user may choose, each rendered in the preview so a change shows at once."""
        if "contact_mode" not in self.fields:
            return ()
        return TRANSFORM_CHOICES["contact_mode"] if self.can_include_contact_info else CONTACT_MODES_WITHOUT_PERMISSION

    def contact_info_checked(self) -> bool:
        if "include_contact_info" not in self.fields:
            return False
        return bool(self["include_contact_info"].value())

    def _chosen_keys(self) -> list[str]:
        value = self["columns"].value()
        if self.is_bound:
            return [str(key) for key in (value or [])]
        return list(value or [])
