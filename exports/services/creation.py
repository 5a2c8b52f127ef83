"""Creating export records: the one path every entry point (admin, API, CLI, schedules) goes through."""

import logging
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError

from exports import conf
from exports.columns import columns_resolve
from exports.errors import ExportLimitExceeded, ExportValidationError
from exports.formats.registry import available_formats, formats_for
from exports.models import Export, ExportDataType, ExportSource, ExportStatus, SavedExport
from exports.services.access import check_can_export
from leads.selectors import LeadFilterError, lead_filters_normalize, lead_list

logger = logging.getLogger("exports.services")

# Options every format understands; other keys are kept as given for the format that reads them.
BOOLEAN_OPTIONS = ("csv_bom", "update_ready")
# Analytics exports summarise the rows instead of listing them, so the row limit does not apply.
ROW_LIMITED_DATA_TYPES = (ExportDataType.LEADS, ExportDataType.COMPREHENSIVE)


def export_create(
    *,
    user,
    filters: Mapping,
    format: str,
    data_type: str = ExportDataType.LEADS,
    columns: Sequence[str] | None = None,
    include_contact_info: bool = False,
    options: Mapping | None = None,
    source: str = ExportSource.ADMIN,
    saved_export: SavedExport | None = None,
    max_rows: int | None = None,
) -> Export:
    """Validate an export request and record it as PENDING; nothing is written yet.

    Raises PermissionDenied (no export permission, or contact info without its permission),
    ExportValidationError (bad filters, format, data type, columns or options; `message_dict` by field)
    and ExportLimitExceeded (more rows than EXPORT_MAX_RECORDS, or than `max_rows` when given).
    """
    return _export_create(
        user=user,
        filters=filters,
        format=format,
        data_type=data_type,
        columns=columns,
        include_contact_info=include_contact_info,
        options=options,
        source=source,
        saved_export=saved_export,
        max_rows=max_rows,
    )


def _export_create(
    *,
    user,
    filters: Mapping,
    format: str,
    data_type: str,
    columns: Sequence[str] | None,
    include_contact_info: bool,
    options: Mapping | None,
    source: str,
    saved_export: SavedExport | None,
    max_rows: int | None,
    rerun_of: Export | None = None,
) -> Export:
    check_can_export(user=user, include_contact_info=include_contact_info)
    _check_choices(format=format, data_type=data_type, source=source)
    try:
        spec = lead_filters_normalize(filters=filters)
    except LeadFilterError as error:
        raise ExportValidationError(error.error_dict) from error
    try:
        resolved = columns_resolve(keys=list(columns) if columns else None, include_contact_info=include_contact_info)
    except ValidationError as error:
        raise ExportValidationError(_as_field_errors(error, field="columns")) from error
    clean_options = _clean_options(options)

    row_count = lead_list(filters=spec).count()
    if data_type in ROW_LIMITED_DATA_TYPES:
        limit = conf.max_records() if max_rows is None else min(max_rows, conf.max_records())
        if row_count > limit:
            logger.info("export refused user=%s rows=%s limit=%s format=%s", _username(user), row_count, limit, format)
            raise ExportLimitExceeded(count=row_count, limit=limit)

    export = Export.objects.create(
        created_by=user,
        status=ExportStatus.PENDING,
        source=source,
        format=format,
        data_type=data_type,
        filters=spec,
        columns=[column.key for column in resolved],
        include_contact_info=include_contact_info,
        options=clean_options,
        row_count=row_count,
        saved_export=saved_export,
        rerun_of=rerun_of,
    )
    logger.info(
        "export created export_id=%s user=%s rows=%s format=%s source=%s",
        export.pk,
        _username(user),
        row_count,
        format,
        source,
    )
    return export


def export_is_immediate(export: Export) -> bool:
    """Small exports (up to QUICK_EXPORT_LIMIT rows) run at once; larger ones in the background."""
    return export.row_count is not None and export.row_count <= conf.quick_export_limit()


def _check_choices(*, format: str, data_type: str, source: str) -> None:
    errors = {}
    format_keys = [writer.key for writer in available_formats()]
    if format not in format_keys:
        errors["format"] = [f"Unknown format {format!r}; choose one of: {', '.join(format_keys)}."]
    if data_type not in ExportDataType.values:
        errors["data_type"] = [f"Unknown data type {data_type!r}; choose one of: {', '.join(ExportDataType.values)}."]
    elif format in format_keys and format not in (fitting := [writer.key for writer in formats_for(data_type)]):
        label = ExportDataType(data_type).label.lower()
        errors["format"] = [f"A {format} file cannot hold {label} exports; choose one of: {', '.join(fitting)}."]
    if source not in ExportSource.values:
        errors["source"] = [f"Unknown source {source!r}."]
    if errors:
        raise ExportValidationError(errors)


def _clean_options(options: Mapping | None) -> dict:
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise ExportValidationError({"options": ["Options must be a mapping of names to values."]})
    clean = {str(name): value for name, value in options.items()}
    for name in BOOLEAN_OPTIONS:
        if name in clean and not isinstance(clean[name], bool):
            raise ExportValidationError({"options": [f"The option {name!r} must be true or false."]})
    return clean


def _as_field_errors(error: ValidationError, *, field: str) -> dict:
    return error.error_dict if hasattr(error, "error_dict") else {field: error.error_list}


def _username(user) -> str:
    return getattr(user, "get_username", lambda: "?")()
