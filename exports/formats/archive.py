"""ZIP: the leads as CSV and Excel, the analytics as JSON, and a manifest, deflated.

Members:
    leads.csv      as the CSV format writes it (with the export's BOM and update-ready options)
    leads.xlsx     as the Excel format writes it (Leads, Summary and Filters sheets)
    analytics.json leads.analytics.report.analytics_report for the same spec
    manifest.json  format_version, application {name, version}, generated_at, generated_by,
                   export_id, data_type, filters, filters_summary, columns [{key, header}],
                   update_ready, include_contact_info, row_count, and files
                   [{name, size, sha256}] (uncompressed size and SHA-256 of every other member)

The CSV and the Excel file are written in one pass over the rows, so both hold exactly the same
leads and `row_count` counts them. The CSV and the Excel file are written to temporary files
(in the system's temporary folder, deleted when the archive is done or fails), then streamed
into the archive in chunks (memory stays flat), deflated at EXPORT_COMPRESSION_LEVEL. A
comprehensive export is this same archive.
"""

import hashlib
import tempfile
import zipfile
from collections.abc import Sequence
from typing import BinaryIO

import orjson

import leadsite
from exports import conf
from exports.columns import Column
from exports.formats.base import FORMAT_VERSION, ExportContext, ExportFormatWriter, ProgressCallback, pump
from exports.formats.delimited import CsvSink
from exports.formats.spreadsheet import LeadSheetsSink, open_workbook, write_filters_sheet, write_summary_sheet
from exports.models import ExportDataType
from exports.rows import lead_rows
from exports.summary import export_summary
from leads.filter_summary import lead_filters_summary


class ZipFormat(ExportFormatWriter):
    key = "zip"
    label = "ZIP (CSV, Excel, analytics)"
    extension = "zip"
    content_type = "application/zip"
    data_types = (ExportDataType.LEADS, ExportDataType.COMPREHENSIVE)

    def write(self, *, context: ExportContext, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        from leads.analytics.report import analytics_report

        columns, mode = context.table_columns, context.table_mode
        with _temporary(".csv") as csv_file, _temporary(".xlsx") as xlsx_file:
            csv_sink = CsvSink(destination=csv_file, columns=columns, mode=mode, bom=context.csv_bom)
            workbook = open_workbook(xlsx_file)
            try:
                sheets = LeadSheetsSink(workbook=workbook, columns=columns, mode=mode)
                rows = pump(
                    lead_rows(filters=context.filters, columns=columns, mode=mode), [csv_sink, sheets], on_progress
                )
                csv_sink.finish(rows_written=rows)
                sheets.finish(rows_written=rows)
                write_summary_sheet(workbook, export_summary(filters=context.filters))
                write_filters_sheet(workbook, context, columns=columns, mode=mode, rows=rows)
            except BaseException:
                workbook.abort()
                raise
            workbook.close()
            analytics = orjson.dumps(analytics_report(filters=context.filters), option=orjson.OPT_INDENT_2)

            with zipfile.ZipFile(
                destination, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=conf.compression_level()
            ) as archive:
                files = [_add(archive, "leads.csv", csv_file), _add(archive, "leads.xlsx", xlsx_file)]
                archive.writestr("analytics.json", analytics)
                files.append(_entry("analytics.json", analytics))
                manifest = _manifest(context, columns=columns, mode=mode, rows=rows, files=files)
                archive.writestr("manifest.json", orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        return rows


def _temporary(suffix: str):
    # The system's temporary folder: the export's own temporary folder holds only its one .part file.
    return tempfile.NamedTemporaryFile(prefix=conf.TEMP_FILE_PREFIX, suffix=suffix)


def _add(archive: zipfile.ZipFile, name: str, source: BinaryIO) -> dict:
    """Stream a finished temporary file into the archive as `name`; returns its name, size and SHA-256."""
    source.flush()
    archive.write(source.name, arcname=name)  # copies in chunks, deflated at the archive's level
    source.seek(0)
    digest = hashlib.file_digest(source, "sha256")
    return {"name": name, "size": source.tell(), "sha256": digest.hexdigest()}


def _entry(name: str, content: bytes) -> dict:
    return {"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def _manifest(context: ExportContext, *, columns: Sequence[Column], mode, rows: int, files: list[dict]) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "application": {"name": "leadsite", "version": leadsite.__version__},
        "generated_at": context.generated_at_local.isoformat(),
        "generated_by": context.generated_by,
        "export_id": context.export_id,
        "data_type": context.data_type,
        "filters": dict(context.filters),
        "filters_summary": lead_filters_summary(filters=context.filters),
        "columns": [{"key": column.key, "header": column.header_for(mode)} for column in columns],
        "update_ready": context.update_ready,
        "include_contact_info": context.include_contact_info,
        "row_count": rows,
        "files": files,
    }
