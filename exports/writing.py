"""Writing one export's file: the bridge between an export record and the format registry."""

import logging
from collections.abc import Callable
from typing import BinaryIO

from exports.errors import ExportError
from exports.formats.base import ExportContext
from exports.formats.registry import formats_for, get_format
from exports.models import Export, ExportDataType

logger = logging.getLogger("exports.writing")


def export_write(*, export: Export, destination: BinaryIO, on_progress: Callable[[int], None]) -> int:
    """Stream the export's rows through its format into `destination`; returns the rows written.

    Reads the record's filters, columns, include_contact_info, options (csv_bom, update_ready),
    format and data type. `on_progress(rows_written)` is called every few thousand rows and at the
    end. For an analytics export the "rows" are the leads the analytics cover. Raises on any
    error (LeadFilterError for a spec that no longer validates, ExportError for a format that
    cannot hold the data type, database and disk errors as they come); the caller marks the
    export failed and discards the file.
    """
    try:
        writer = get_format(export.format)
    except LookupError as error:
        raise ExportError(str(error)) from None
    if not writer.supports(export.data_type):
        choices = ", ".join(item.label for item in formats_for(export.data_type))
        data_type = (
            ExportDataType(export.data_type).label.lower()
            if export.data_type in ExportDataType.values
            else export.data_type
        )
        raise ExportError(f"{writer.label} files cannot hold {data_type} exports; choose one of: {choices}.")
    context = ExportContext.from_export(export)
    rows = writer.write(context=context, destination=destination, on_progress=on_progress)
    logger.debug("export written export_id=%s format=%s rows=%s", export.pk, export.format, rows)
    return rows
