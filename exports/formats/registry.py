"""The export formats, by key (the values of exports.models.ExportFormat)."""

from exports.formats.archive import ZipFormat
from exports.formats.base import ExportFormatWriter
from exports.formats.delimited import CsvFormat
from exports.formats.json_document import JsonFormat
from exports.formats.spreadsheet import ExcelFormat

_FORMATS: dict[str, ExportFormatWriter] = {
    writer.key: writer for writer in (CsvFormat(), ExcelFormat(), JsonFormat(), ZipFormat())
}


def get_format(key: str) -> ExportFormatWriter:
    """The writer for `key`; raises LookupError for an unknown key."""
    try:
        return _FORMATS[key]
    except KeyError:
        raise LookupError(f"Unknown export format {key!r}; choose one of: {', '.join(_FORMATS)}.") from None


def available_formats() -> list[ExportFormatWriter]:
    return list(_FORMATS.values())


def formats_for(data_type: str) -> list[ExportFormatWriter]:
    """The formats that can hold exports of `data_type` (leads, analytics, comprehensive)."""
    return [writer for writer in _FORMATS.values() if writer.supports(data_type)]
