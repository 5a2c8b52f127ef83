"""The saved-export admin form: it shapes input; exports.services.saved validates and saves.

Filters are chosen with the lead list's sidebar controls (leads.admin.spec_widget) and columns with
the export page's picker; neither is parsed here, the service reads them through the one LeadFilterSet.
"""

from django import forms
from django.core.exceptions import ValidationError

from exports.admin.column_picker import ColumnPickerWidget
from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS
from exports.datasets.registry import dataset_choices
from exports.formats.registry import format_choices
from exports.forms import FORMAT_OPTIONS, TRANSFORM_OPTIONS, FormatOptionsForm, transform_options
from exports.models import SavedExport
from exports.scheduling import WEEKDAY_NAMES
from exports.services.access import plain_contact_info
from exports.services.saved import saved_export_clean
from leads.admin.spec_widget import LeadSpecField
from leads.contact_access import VIEW_CONTACT_INFO

# Labels written for the people who schedule exports, not for the database.
FIELD_LABELS = {
    "is_active": "Active (runs on its schedule)",
    "include_contact_info": "Include contact information (e-mail, phone, contact name)",
    "frequency": "Run it",
    "run_time": "At (time of day)",
    "weekday": "On (weekly)",
    "day_of_month": "On day (monthly)",
    "only_new_since_last_run": "Only leads found since the previous run",
    "email_on_completion": "E-mail me when it is ready",
    "email_to": "E-mail address",
}


class SavedExportForm(FormatOptionsForm, forms.ModelForm):
    """Filters with the lead list's sidebar controls, columns with the export page's picker, options as ticks."""

    filters = LeadSpecField(
        label="Leads",
        help_text="The same choices as the lead list's sidebar; nothing ticked or typed: every lead.",
    )
    columns = forms.MultipleChoiceField(
        label="Columns",
        required=False,
        help_text=(
            "Tick the columns to export; their order here is the order in the file. "
            "Contact columns are written only when contact information is included."
        ),
    )
    format = forms.ChoiceField()
    data_type = forms.ChoiceField(label="Data")
    weekday = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "---------"), *enumerate(WEEKDAY_NAMES)],
        help_text="For weekly schedules.",
    )
    day_of_month = forms.IntegerField(
        required=False, min_value=1, max_value=28, help_text="1-28, for monthly schedules."
    )

    class Meta:
        model = SavedExport
        fields = (
            "name",
            "format",
            "data_type",
            "include_contact_info",
            "frequency",
            "run_time",
            "weekday",
            "day_of_month",
            "only_new_since_last_run",
            "email_on_completion",
            "email_to",
            "is_active",
        )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["format"].choices = format_choices()
        for name, label in FIELD_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        self.fields["data_type"].choices = dataset_choices()
        instance = self.instance
        owner = instance.owner if instance.pk else user
        self.fields["filters"].widget.me = owner.pk  # "Me" in "By assigned to" is the owner
        if not user.has_perm(VIEW_CONTACT_INFO) and not instance.include_contact_info:
            self.fields.pop("include_contact_info", None)
        contact_allowed = "include_contact_info" in self.fields
        columns = [column for column in LEAD_COLUMNS if contact_allowed or not column.is_contact]
        self.fields["columns"].choices = [(column.key, column.header) for column in columns]
        self.fields["columns"].widget = ColumnPickerWidget(columns=columns)
        available = {column.key for column in columns}
        # An empty list means the default columns (whatever they are when it runs): shown ticked as such.
        # Set over model_to_dict's value: the admin lists "columns" among the model's fields.
        self.initial["columns"] = [key for key in (instance.columns or DEFAULT_COLUMN_KEYS) if key in available]
        if instance.pk:
            self.initial.setdefault("filters", instance.filters or {})
            for option in FORMAT_OPTIONS:
                self.initial.setdefault(option, bool((instance.options or {}).get(option)))
            for option in TRANSFORM_OPTIONS:
                self.initial.setdefault(option, (instance.options or {}).get(option, ""))

    def clean(self):
        cleaned = super().clean()
        chosen = (*FORMAT_OPTIONS, *TRANSFORM_OPTIONS)
        options = {key: value for key, value in (self.instance.options or {}).items() if key not in chosen}
        options.update({option: True for option in FORMAT_OPTIONS if cleaned.get(option)})
        options.update(transform_options(cleaned))
        values = {
            "name": cleaned.get("name", ""),
            "filters": cleaned.get("filters") or {},
            "format": cleaned.get("format"),
            "data_type": cleaned.get("data_type"),
            "columns": self._chosen_columns(cleaned),
            "include_contact_info": cleaned.get("include_contact_info", self.instance.include_contact_info),
            "options": options,
            "frequency": cleaned.get("frequency", ""),
            "run_time": cleaned.get("run_time"),
            "weekday": cleaned.get("weekday"),
            "day_of_month": cleaned.get("day_of_month"),
            "only_new_since_last_run": cleaned.get("only_new_since_last_run", False),
            "email_on_completion": cleaned.get("email_on_completion", False),
            "email_to": cleaned.get("email_to", ""),
            "is_active": cleaned.get("is_active", True),
        }
        plain = plain_contact_info(include_contact_info=values["include_contact_info"], options=options)
        if plain and not self.user.has_perm(VIEW_CONTACT_INFO):
            self.add_error(None, "You may not include plain contact values; choose masked or hashed, or ask a manager.")
            return cleaned
        owner = self.instance.owner if self.instance.pk else self.user
        try:
            self.saved_export_values = saved_export_clean(owner=owner, exclude_pk=self.instance.pk, **values)
        except ValidationError as error:
            for field_name, field_messages in error.message_dict.items():
                if field_name in self.errors:
                    continue  # the field's own error (e.g. "required") already says it
                self.add_error(field_name if field_name in self.fields else None, field_messages)
        return cleaned

    def _chosen_columns(self, cleaned) -> list[str]:
        """The ticked columns in their order; the default columns ticked on one that had none stay "the default"."""
        keys = list(cleaned.get("columns") or [])
        if not cleaned.get("include_contact_info"):
            # Contact columns are hidden while contact info is off; a stale tick must not count.
            contact = {column.key for column in LEAD_COLUMNS if column.is_contact}
            keys = [key for key in keys if key not in contact]
        if "columns" in cleaned and not keys:
            self.add_error("columns", "Choose at least one column.")
        if not self.instance.columns and keys == list(self.initial.get("columns") or []):
            return []
        return keys
