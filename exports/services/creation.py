"""Creating export records: the one path every entry point (admin, API, CLI, schedules) goes through."""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError

from exports import conf
from exports.content.transforms import options_errors
from exports.datasets.registry import dataset_keys, get_dataset
from exports.errors import ExportLimitExceeded, ExportValidationError
from exports.formats.registry import format_keys, formats_for
from exports.models import DEFAULT_DATA_TYPE, DEFAULT_FORMAT, Export, ExportSource, ExportStatus, SavedExport
from exports.services.access import check_can_export
from leads.contact_access import contact_search_for
from leads.selectors import LeadFilterError, lead_filters_normalize

logger = logging.getLogger("exports.services")

# Options every format understands; other keys are kept as given for the format that reads them.
BOOLEAN_OPTIONS = ("csv_bom", "update_ready")


@dataclass(frozen=True)
class ExportRequest:
    """What one caller asks to export, checked by export_create; the same object travels to every service.

    `max_rows` refuses more rows than that (besides EXPORT_MAX_RECORDS); `max_limit` caps the
    spec's `limit` (its default, and a larger one is refused under "limit"), e.g. for quick
    exports. `background`: None runs small exports (QUICK_EXPORT_LIMIT) at once and queues the
    others, True always queues, False always runs at once.
    """

    user: Any
    filters: Mapping = field(default_factory=dict)
    format: str = DEFAULT_FORMAT
    data_type: str = DEFAULT_DATA_TYPE
    columns: Sequence[str] | None = None
    include_contact_info: bool = False
    options: Mapping | None = None
    source: str = ExportSource.ADMIN
    saved_export: SavedExport | None = None
    max_rows: int | None = None
    max_limit: int | None = None
    background: bool | None = None
    rerun_of: Export | None = None
    notify_email: str = ""  # e-mail the download link here once finished (scheduled runs)

    @classmethod
    def again(cls, export: Export, *, user, source: str | None = None) -> "ExportRequest":
        """The request that made `export`, made again by `user` (a re-run)."""
        return cls(
            user=user,
            filters=export.filters,
            format=export.format,
            data_type=export.data_type,
            columns=export.columns,
            include_contact_info=export.include_contact_info,
            options=export.options,
            source=source or export.source,
            saved_export=export.saved_export,
            rerun_of=export,
        )

    def but(self, **changes) -> "ExportRequest":
        return replace(self, **changes)


def export_create(*, request: ExportRequest) -> Export:
    """Validate an export request and record it as PENDING; nothing is written yet.

    Raises PermissionDenied (no export permission, or contact info without its permission),
    ExportValidationError (bad filters, format, data type, columns or options; `message_dict` by field)
    and ExportLimitExceeded (more rows than EXPORT_MAX_RECORDS, or than `max_rows` when given).
    """
    clean_options = _clean_options(request.options)
    # Masked or hashed contact values are not contact information a user needs the permission for.
    check_can_export(user=request.user, include_contact_info=request.include_contact_info, options=clean_options)
    check_choices(format=request.format, data_type=request.data_type, source=request.source)
    dataset = get_dataset(request.data_type)
    try:
        spec = lead_filters_normalize(
            filters=duplicates_applied(request.filters, clean_options), max_limit=request.max_limit, user=request.user
        )
    except LeadFilterError as error:
        raise ExportValidationError(error.error_dict) from error
    columns = clean_columns(dataset, columns=request.columns, include_contact_info=request.include_contact_info)

    with contact_search_for(lambda: request.user):  # the count matches what the export will hold
        row_count = dataset.count_for(filters=spec)
    if dataset.row_limited:
        limit = conf.max_records() if request.max_rows is None else min(request.max_rows, conf.max_records())
        if row_count > limit:
            logger.info(
                "export refused user=%s rows=%s limit=%s format=%s",
                _username(request.user),
                row_count,
                limit,
                request.format,
            )
            raise ExportLimitExceeded(count=row_count, limit=limit)

    export = Export.objects.create(
        created_by=request.user,
        status=ExportStatus.PENDING,
        source=request.source,
        format=request.format,
        data_type=request.data_type,
        filters=spec,
        columns=columns,
        include_contact_info=request.include_contact_info,
        options=clean_options,
        row_count=row_count,
        saved_export=request.saved_export,
        rerun_of=request.rerun_of,
        notify_email=request.notify_email,
    )
    logger.info(
        "export created export_id=%s user=%s rows=%s format=%s source=%s",
        export.pk,
        _username(request.user),
        row_count,
        request.format,
        request.source,
    )
    return export


def export_is_immediate(export: Export) -> bool:
    """Small exports (up to QUICK_EXPORT_LIMIT rows) run at once; larger ones in the background."""
    return export.row_count is not None and export.row_count <= conf.quick_export_limit()


def check_choices(*, format: str, data_type: str, source: str | None = None) -> None:
    """The format and data type are registered and fit together; ExportValidationError by field."""
    errors = {}
    formats, data_types = format_keys(), dataset_keys()
    if format not in formats:
        errors["format"] = [f"Unknown format {format!r}; choose one of: {', '.join(formats)}."]
    if data_type not in data_types:
        errors["data_type"] = [f"Unknown data type {data_type!r}; choose one of: {', '.join(data_types)}."]
    elif format in formats and format not in (fitting := [writer.key for writer in formats_for(data_type)]):
        label = get_dataset(data_type).label.lower()
        errors["format"] = [f"A {format} file cannot hold {label} exports; choose one of: {', '.join(fitting)}."]
    if source is not None and source not in ExportSource.values:
        errors["source"] = [f"Unknown source {source!r}."]
    if errors:
        raise ExportValidationError(errors)


def clean_columns(dataset, *, columns: Sequence[str] | None, include_contact_info: bool) -> list[str]:
    """The column keys to store, as the data type resolves them; ExportValidationError under "columns"."""
    try:
        return dataset.clean_columns(keys=list(columns) if columns else None, include_contact_info=include_contact_info)
    except ValidationError as error:
        raise ExportValidationError(
            error.error_dict if hasattr(error, "error_dict") else {"columns": error.error_list}
        ) from error


def _clean_options(options: Mapping | None) -> dict:
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise ExportValidationError({"options": ["Options must be a mapping of names to values."]})
    clean = {str(name): value for name, value in options.items()}
    for name in BOOLEAN_OPTIONS:
        if name in clean and not isinstance(clean[name], bool):
            raise ExportValidationError({"options": [f"The option {name!r} must be true or false."]})
    if errors := options_errors(clean):
        raise ExportValidationError({"options": errors})
    return clean


def duplicates_applied(filters: Mapping, options: Mapping) -> Mapping:
    """`one_per_duplicate_group` is the spec's `duplicates=first` (when the spec has duplicate groups)."""
    if not options.get("one_per_duplicate_group"):
        return filters
    from leads.filters import LeadFilterSet

    if "duplicates" not in LeadFilterSet.base_filters:
        raise ExportValidationError(
            {"options": ["one_per_duplicate_group needs duplicate groups, which this site does not have yet."]}
        )
    spec = filters.copy() if hasattr(filters, "getlist") else dict(filters or {})
    spec["duplicates"] = "first"
    return spec


def _username(user) -> str:
    return getattr(user, "get_username", lambda: "?")()
