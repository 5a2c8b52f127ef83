"""The saved-export admin form: it shapes input; exports.services.saved validates and saves."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from exports.content.columns import LEAD_COLUMNS
from exports.datasets.registry import dataset_choices
from exports.formats.registry import format_choices
from exports.forms import FORMAT_OPTIONS, TRANSFORM_OPTIONS, FormatOptionsForm, transform_options
from exports.models import SavedExport
from exports.scheduling import WEEKDAY_NAMES
from exports.services.access import plain_contact_info
from exports.services.saved import saved_export_clean
from leads.contact_access import VIEW_CONTACT_INFO
from leads.filters import filters_from_query, spec_to_query_string

# Form fields whose names differ from the service's.
FORM_FIELD_OF = {"filters": "filters_query", "columns": "columns_text"}
# Labels written for the people who schedule exports, not for the database.
FIELD_LABELS = {
    "is_active": "Active (runs on its schedule)",
    "frequency": "Run it",
    "run_time": "At (time of day)",
    "weekday": "On (weekly)",
    "day_of_month": "On day (monthly)",
    "only_new_since_last_run": "Only leads found since the previous run",
    "email_on_completion": "E-mail me when it is ready",
    "email_to": "E-mail address",
}


class SavedExportForm(FormatOptionsForm, forms.ModelForm):
    """Filters as the lead list's query string, columns as ordered keys, format options as ticks."""

    filters_query = forms.CharField(
        label="Filters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=(
            "The lead list's filters as in its address, e.g. <code>status=new&amp;has_email=true&amp;"
            "location_names=sfbay</code>; a whole lead-list URL works too. Empty: all leads."
        ),
    )
    columns_text = forms.CharField(
        label="Columns",
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
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
        self.fields["columns_text"].help_text = (
            "Column keys in the order wanted, comma-separated; empty: the default columns. Available: "
            + ", ".join(f"{column.key} ({column.label})" for column in LEAD_COLUMNS)
            + ". Contact columns are only written when contact information is included."
        )
        if not user.has_perm(VIEW_CONTACT_INFO) and not self.instance.include_contact_info:
            self.fields.pop("include_contact_info", None)
        instance = self.instance
        if instance.pk:
            self.initial.setdefault("filters_query", spec_to_query_string(instance.filters or {}))
            self.initial.setdefault("columns_text", ", ".join(instance.columns or []))
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
            "filters": _query_dict(cleaned.get("filters_query", "")),
            "format": cleaned.get("format"),
            "data_type": cleaned.get("data_type"),
            "columns": [key.strip() for key in cleaned.get("columns_text", "").split(",") if key.strip()],
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
            for name, field_messages in error.message_dict.items():
                field_name = FORM_FIELD_OF.get(name, name)
                if field_name in self.errors:
                    continue  # the field's own error (e.g. "required") already says it
                self.add_error(field_name if field_name in self.fields else None, field_messages)
        return cleaned


def _query_dict(text: str) -> dict:
    """The spec in a lead-list address or query string, read as every other entry point reads one."""
    text = (text or "").strip()
    if "?" in text:
        text = text.split("?", 1)[1]
    return filters_from_query(QueryDict(text.split("#", 1)[0]))
