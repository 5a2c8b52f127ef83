"""ZIP: a package of the dataset, composed of the other formats, deflated.

Members (for leads):
    leads.csv      the rows as the CSV format writes them (with the export's BOM and update-ready options)
    leads.xlsx     the dataset as the Excel format writes it (Leads, Summary, [analytics,] Filters sheets)
    analytics.json each of the dataset's documents and attachments as JSON (the analytics of the spec)
    manifest.json  the dataset's metadata (generated_at, generated_by, export_id, data_type, filters,
                   filters_summary, update_ready, include_contact_info), format_version,
                   application {name, version}, columns [{key, header}], row_count, and files
                   [{name, size, sha256}] (uncompressed size and SHA-256 of every other member)

The member names come from the dataset's rows key. The CSV and the Excel file are written in one
pass over the rows, so both hold exactly the same rows and `row_count` counts them. Both are
written to temporary files (in the system's temporary folder, deleted when the archive is done
or fails), then streamed into the archive in chunks (memory stays flat), deflated at
EXPORT_COMPRESSION_LEVEL.
"""

import hashlib
import tempfile
import zipfile
from typing import BinaryIO

import orjson

import leadsite
from exports import conf
from exports.datasets.base import Dataset, Layout, Style
from exports.formats.base import FORMAT_VERSION, ExportFormat, ProgressCallback
from exports.formats.delimited import CsvFormat, CsvSink
from exports.formats.spreadsheet import ExcelFormat, write_workbook


class ZipFormat(ExportFormat):
    key = "zip"
    label = "ZIP (CSV, Excel, analytics)"
    extension = "zip"
    content_type = "application/zip"
    holds_tables = True
    needs_rows = True  # a package of the rows as CSV and Excel

    def write(self, *, dataset: Dataset, destination: BinaryIO, on_progress: ProgressCallback) -> int:
        layout = dataset.layout(Style.TABLE)
        name = dataset.rows_key
        with _temporary(".csv") as csv_file, _temporary(".xlsx") as xlsx_file:
            csv_sink = CsvSink(destination=csv_file, layout=layout, bom=dataset.context.csv_bom)
            rows = write_workbook(dataset, xlsx_file, on_progress, sinks=[csv_sink])
            documents = {**dataset.documents(), **dataset.attachments()}
            encoded = {
                f"{key}.json": orjson.dumps(value, option=orjson.OPT_INDENT_2) for key, value in documents.items()
            }

            with zipfile.ZipFile(
                destination, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=conf.compression_level()
            ) as archive:
                files = [
                    _add(archive, f"{name}.{CsvFormat.extension}", csv_file),
                    _add(archive, f"{name}.{ExcelFormat.extension}", xlsx_file),
                ]
                for member, content in encoded.items():
                    archive.writestr(member, content)
                    files.append(_entry(member, content))
                manifest = _manifest(dataset, layout, rows=rows, files=files)
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


def _manifest(dataset: Dataset, layout: Layout, *, rows: int, files: list[dict]) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "application": {"name": "leadsite", "version": leadsite.__version__},
        **dataset.metadata(),
        "columns": [{"key": field.key, "header": field.name} for field in layout.fields],
        "row_count": rows,
        "files": files,
    }
