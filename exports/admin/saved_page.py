"""The export page's "Save this export…" and "Update saved export": what the page shows becomes a saved export.

The export page (exports.admin.lead_mixin) hands its validated LeadExportForm and normalized spec here;
saving goes through exports.services.saved like every other caller. A saved export being edited is
named by the page's `saved` parameter (the saved-export list's "Change filters" link opens the lead
list with it, and the lead list's Export link carries it on).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from exports.errors import ExportValidationError
from exports.forms import LeadExportForm
from exports.models import SavedExport, ScheduleFrequency
from exports.scheduling import WEEKDAY_NAMES
from exports.services.saved import (
    ADD_SAVED_EXPORT,
    CHANGE_SAVED_EXPORT,
    check_can_use_saved_export,
    saved_export_create,
    saved_export_update,
)

SAVE_BUTTON = "_save_export"
UPDATE_BUTTON = "_update_saved_export"
EDITING_SESSION_KEY = "exports_editing_saved_export"
FORMAT_OPTION_KEYS = ("csv_bom", "update_ready")


class SaveExportForm(forms.Form):
    """Name, schedule and e-mail of a new saved export; the rest is what the export page shows."""

    name = forms.CharField(label="Name", max_length=120, required=False, help_text="For example “New leads, weekly”.")
    frequency = forms.ChoiceField(
        label="Run it",
        choices=[("", "Only when I run it"), *[c for c in ScheduleFrequency.choices if c[0]]],
        required=False,
    )
    run_time = forms.TimeField(label="At", required=False, help_text="Time of day, in the site's time zone.")
    weekday = forms.TypedChoiceField(
        label="On (weekly)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "---------"), *enumerate(WEEKDAY_NAMES)],
    )
    day_of_month = forms.IntegerField(label="On day (monthly)", required=False, min_value=1, max_value=28)
    only_new_since_last_run = forms.BooleanField(label="Only leads found since the previous run", required=False)
    email_on_completion = forms.BooleanField(label="E-mail me when it is ready", required=False)
    email_to = forms.EmailField(label="E-mail address", required=False, help_text="Empty: your own e-mail address.")

    prefix = "save"

    def schedule_values(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.fields if name != "name"} | {
            "only_new_since_last_run": bool(data.get("only_new_since_last_run")),
            "email_on_completion": bool(data.get("email_on_completion")),
            "email_to": data.get("email_to") or "",
            "frequency": data.get("frequency") or "",
        }


def may_save(user) -> bool:
    return user.has_perm(ADD_SAVED_EXPORT)


def saved_export_being_edited(request) -> SavedExport | None:
    """The saved export named by the page's `saved` parameter, when the user may change it."""
    pk = request.GET.get("saved", "")
    if not pk.isdigit() or not request.user.has_perm(CHANGE_SAVED_EXPORT):
        return None
    saved = SavedExport.objects.select_related("owner").filter(pk=int(pk)).first()
    if saved is None:
        return None
    try:
        check_can_use_saved_export(saved_export=saved, user=request.user)
    except PermissionDenied:
        return None
    return saved


def initial_from_saved(saved: SavedExport) -> dict:
    """The export form's initial values: the saved export's format, columns and options."""
    initial = {"format": saved.format, "include_contact_info": saved.include_contact_info}
    if saved.columns:
        initial["columns"] = list(saved.columns)
    for option in FORMAT_OPTION_KEYS:
        initial[option] = bool((saved.options or {}).get(option))
    return initial


def handle_save(request, *, form: LeadExportForm, save_form: SaveExportForm, spec: dict, saved: SavedExport | None):
    """Save (or update) the export shown: a redirect to the saved exports, or None (errors on the forms)."""
    arguments = form.export_arguments()
    contents = {
        "filters": spec,
        "format": arguments["format"],
        "columns": arguments["columns"],
        "include_contact_info": arguments["include_contact_info"],
        "options": arguments["options"],
    }
    try:
        if UPDATE_BUTTON in request.POST and saved is not None:
            result = saved_export_update(saved_export=saved, user=request.user, **contents)
            text = f"The saved export “{result.name}” now uses these filters, columns and format."
            request.session.pop(EDITING_SESSION_KEY, None)
        else:
            if not save_form.is_valid():
                return None
            name = save_form.cleaned_data.get("name", "")
            result = saved_export_create(user=request.user, name=name, **contents, **save_form.schedule_values())
            text = f"Saved as “{result.name}”. Run it from this list whenever you like."
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return None
    except (ExportValidationError, ValidationError) as error:
        _add_errors(form, save_form, error)
        return None
    messages.success(request, text)
    return HttpResponseRedirect(reverse("admin:exports_savedexport_changelist"))


def _add_errors(form, save_form, error) -> None:
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            if field in save_form.fields:
                save_form.add_error(field, message)
            elif field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)
