"""Writing one export's file: the bridge between an export record, its dataset and its format."""

import logging
from collections.abc import Callable
from typing import BinaryIO

from exports.datasets.base import Dataset, ExportContext
from exports.datasets.registry import get_dataset
from exports.errors import ExportError
from exports.formats.registry import formats_for, get_format
from exports.lead_ids import export_lead_ids_record
from exports.models import Export

logger = logging.getLogger("exports.writing")


def export_write(*, export: Export, destination: BinaryIO, on_progress: Callable[[int], None]) -> int:
    """Encode the export's dataset in its format into `destination`; returns the rows written.

    Reads the record's filters, columns, include_contact_info, options (csv_bom, update_ready),
    format and data type. `on_progress(rows_written)` is called every few thousand rows and at the
    end. For a dataset without rows (analytics) the "rows" are the records it covers. Raises on
    any error (LeadFilterError for a spec that no longer validates, ExportError for a format or
    data type that is not registered or a format that cannot hold the data type, database and
    disk errors as they come); the caller marks the export failed and discards the file.
    """
    try:
        writer = get_format(export.format)
        dataset_class = get_dataset(export.data_type)
    except LookupError as error:
        raise ExportError(str(error)) from None
    if not writer.supports(dataset_class):
        choices = ", ".join(item.label for item in formats_for(dataset_class))
        raise ExportError(
            f"{writer.label} files cannot hold {dataset_class.label.lower()} exports; choose one of: {choices}."
        )
    dataset = export_dataset(export=export)
    before = dataset.lead_ids()
    held = set(before) if before is not None else None
    rows = writer.write(dataset=dataset, destination=destination, on_progress=on_progress)
    if held is not None:
        # Read before and after the file: a lead it holds is among them even if it changed meanwhile.
        held.update(dataset.lead_ids())
        export_lead_ids_record(export=export, ids=held)
    logger.debug("export written export_id=%s format=%s rows=%s", export.pk, export.format, rows)
    return rows


def export_dataset(*, export: Export) -> Dataset:
    """The dataset an export record asks for (its data type, read with its spec, columns and options)."""
    try:
        dataset_class = get_dataset(export.data_type)
    except LookupError as error:
        raise ExportError(str(error)) from None
    return dataset_class(context=ExportContext.from_export(export))
