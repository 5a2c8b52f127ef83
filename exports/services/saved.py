"""Saved exports: a spec, columns and format kept under a name, optionally on a schedule.

Creating and changing them goes through here (the admin form too), so the spec is normalized by
the one LeadFilterSet, columns are resolved as an export resolves them, and the schedule is
validated and its next run computed the same way everywhere.
"""

import datetime
import logging
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from exports.datasets.registry import get_dataset
from exports.errors import ExportValidationError
from exports.models import DEFAULT_DATA_TYPE, DEFAULT_FORMAT, SavedExport
from exports.scheduling import Schedule, schedule_clean, schedule_next_slot
from exports.services.access import VIEW_ALL_EXPORTS, check_can_export
from exports.services.creation import check_choices, clean_columns
from leads.filters import filter_label
from leads.selectors import LeadFilterError, lead_filters_normalize

logger = logging.getLogger("exports.scheduled")

ADD_SAVED_EXPORT = "exports.add_savedexport"
CHANGE_SAVED_EXPORT = "exports.change_savedexport"
NAME_MAX_LENGTH = SavedExport._meta.get_field("name").max_length

# The fields a caller may set; everything else (owner, run bookkeeping) is the service's.
EDITABLE_FIELDS = (
    "name",
    "filters",
    "format",
    "data_type",
    "columns",
    "include_contact_info",
    "options",
    "frequency",
    "run_time",
    "weekday",
    "day_of_month",
    "only_new_since_last_run",
    "email_on_completion",
    "email_to",
    "is_active",
)
SCHEDULE_FIELDS = ("frequency", "run_time", "weekday", "day_of_month", "is_active")


# What a new saved export holds when a field is not given.
DEFAULTS = {
    "filters": {},
    "format": DEFAULT_FORMAT,
    "data_type": DEFAULT_DATA_TYPE,
    "columns": None,
    "include_contact_info": False,
    "options": None,
    "frequency": "",
    "run_time": None,
    "weekday": None,
    "day_of_month": None,
    "only_new_since_last_run": False,
    "email_on_completion": False,
    "email_to": "",
    "is_active": True,
}


def saved_export_create(*, user, **fields) -> SavedExport:
    """Save an export spec under a name for `user`, optionally on a schedule.

    `fields` are EDITABLE_FIELDS (a `name` is required; the others default as in DEFAULTS).
    Needs exports.add_savedexport and exports.export_leads (and exports.view_contact_info to include
    plain contact values; masked or hashed ones need only the export permission); raises
    PermissionDenied otherwise and ExportValidationError (by field) for bad input.
    """
    _check_known(fields, "saved_export_create")
    if not user.has_perm(ADD_SAVED_EXPORT):
        raise PermissionDenied("You do not have permission to save exports.")
    values = {"name": "", **DEFAULTS, **fields}
    check_can_export(user=user, include_contact_info=bool(values["include_contact_info"]), options=values["options"])
    saved_export = SavedExport(owner=user, **saved_export_clean(owner=user, **values))
    saved_export.next_run_at = saved_export_next_run_at(saved_export, after=timezone.now())
    _save_unique(saved_export)
    logger.info("saved export created saved_export_id=%s user=%s", saved_export.pk, user.get_username())
    return saved_export


def _check_known(fields, caller: str) -> None:
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"{caller}() got fields it does not edit: {', '.join(unknown)}")


def saved_export_update(*, saved_export: SavedExport, user, **changes) -> SavedExport:
    """Change a saved export's spec or schedule; a changed schedule counts its next run from now.

    The owner, or a user with exports.view_all_exports, with exports.change_savedexport may change it.
    """
    _check_known(changes, "saved_export_update")
    check_can_use_saved_export(saved_export=saved_export, user=user)
    if not user.has_perm(CHANGE_SAVED_EXPORT):
        raise PermissionDenied("You do not have permission to change saved exports.")
    current = {name: getattr(saved_export, name) for name in EDITABLE_FIELDS}
    merged = {**current, **changes}
    if merged["include_contact_info"]:
        check_can_export(user=user, include_contact_info=True, options=merged["options"])
    values = saved_export_clean(owner=saved_export.owner, exclude_pk=saved_export.pk, **merged)
    schedule_changed = any(values[name] != current[name] for name in SCHEDULE_FIELDS)
    for name, value in values.items():
        setattr(saved_export, name, value)
    if schedule_changed or saved_export.next_run_at is None:
        saved_export.next_run_at = saved_export_next_run_at(saved_export, after=timezone.now())
    _save_unique(saved_export)
    logger.info("saved export changed saved_export_id=%s user=%s", saved_export.pk, user.get_username())
    return saved_export


def saved_export_clean(
    *,
    owner,
    name: str,
    filters: Mapping | None,
    format: str,
    data_type: str,
    columns: Sequence[str] | None,
    include_contact_info: bool,
    options: Mapping | None,
    frequency: str,
    run_time: datetime.time | None,
    weekday: int | None,
    day_of_month: int | None,
    only_new_since_last_run: bool,
    email_on_completion: bool,
    email_to: str,
    is_active: bool = True,
    exclude_pk: int | None = None,
) -> dict:
    """Validate a saved export's fields and return them normalized; ExportValidationError by field.

    The spec is normalized by the one LeadFilterSet (its errors are reported under "filters",
    prefixed with the parameter); columns are resolved as an export resolves them (an empty
    list means the default columns, whatever they are when it runs).
    """
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the saved export a name."]
    elif not name.isprintable():
        errors["name"] = ["Keep the name to one line of text."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"Keep the name to {NAME_MAX_LENGTH} characters."]
    elif SavedExport.objects.filter(owner=owner, name=name).exclude(pk=exclude_pk).exists():
        errors["name"] = [f"You already have a saved export named {name!r}."]

    spec = {}
    try:
        spec = lead_filters_normalize(filters=filters or {}, user=owner)
    except LeadFilterError as error:
        errors["filters"] = [
            f"{filter_label(param)}: {message}"
            for param, messages in error.message_dict.items()
            for message in messages
        ]

    column_keys: list[str] = []
    try:
        check_choices(format=format, data_type=data_type)
    except ExportValidationError as error:
        errors.update(error.message_dict)
    else:
        try:
            # Saved as given: an empty list means the default columns, whatever they are when it runs.
            if columns:
                dataset = get_dataset(data_type)
                column_keys = clean_columns(dataset, columns=columns, include_contact_info=bool(include_contact_info))
        except ExportValidationError as error:
            errors["columns"] = error.message_dict.get("columns", error.messages)
    if options is not None and not isinstance(options, Mapping):
        errors["options"] = ["Options must be a mapping of names to values."]

    schedule = Schedule(frequency="")
    try:
        schedule = schedule_clean(frequency=frequency, run_time=run_time, weekday=weekday, day_of_month=day_of_month)
    except ValidationError as error:
        errors.update(error.message_dict)
    if only_new_since_last_run and not frequency:
        errors.setdefault("only_new_since_last_run", []).append(
            "Only a scheduled export can export the leads found since its previous run; choose a schedule."
        )
    email_to = (email_to or "").strip()
    if email_to:
        try:
            validate_email(email_to)
        except ValidationError:
            errors["email_to"] = ["Enter a valid e-mail address."]
    elif email_on_completion and not getattr(owner, "email", ""):
        errors["email_to"] = ["The owner has no e-mail address; enter the address to notify."]
    if errors:
        raise ExportValidationError(errors)
    return {
        "name": name,
        "filters": spec,
        "format": format,
        "data_type": data_type,
        "columns": column_keys,
        "include_contact_info": bool(include_contact_info),
        "options": dict(options or {}),
        "frequency": schedule.frequency,
        "run_time": schedule.run_time,
        "weekday": schedule.weekday,
        "day_of_month": schedule.day_of_month,
        "only_new_since_last_run": bool(only_new_since_last_run),
        "email_on_completion": bool(email_on_completion),
        "email_to": email_to,
        "is_active": bool(is_active),
    }


def check_can_use_saved_export(*, saved_export: SavedExport, user) -> None:
    """The owner, or anyone who may see everyone's exports, may run or change a saved export."""
    if not user.is_active or not (saved_export.owner_id == user.pk or user.has_perm(VIEW_ALL_EXPORTS)):
        raise PermissionDenied("You do not have permission to use this saved export.")


def saved_export_next_run_at(saved_export: SavedExport, *, after: datetime.datetime) -> datetime.datetime | None:
    """The first slot after `after`, or None when the saved export is not scheduled or paused."""
    if not saved_export.is_active:
        return None
    return schedule_next_slot(Schedule.of(saved_export), after=after)


def _save_unique(saved_export: SavedExport) -> None:
    try:
        with transaction.atomic():
            saved_export.save()
    except IntegrityError:
        # Another request saved the same name for this owner between the check and the save.
        raise ExportValidationError(
            {"name": [f"You already have a saved export named {saved_export.name!r}."]}
        ) from None
