import pytest

from exports.formats.registry import available_formats, formats_for, get_format
from exports.models import ExportFormat


def test_every_export_format_has_a_writer():
    assert [writer.key for writer in available_formats()] == ExportFormat.values
    assert {writer.extension for writer in available_formats()} == {"csv", "xlsx", "json", "zip"}


def test_get_format_returns_the_writer_and_refuses_unknown_keys():
    assert get_format("excel").content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with pytest.raises(LookupError, match="Unknown export format 'pdf'"):
        get_format("pdf")


def test_formats_per_data_type():
    assert [writer.key for writer in formats_for("leads")] == ["csv", "excel", "json", "zip"]
    assert [writer.key for writer in formats_for("analytics")] == ["excel", "json"]
    assert [writer.key for writer in formats_for("comprehensive")] == ["excel", "json", "zip"]
