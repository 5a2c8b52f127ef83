import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from exports.formats.delimited import CsvFormat
from exports.formats.registry import available_formats, format_keys, formats_for, get_format


def test_the_default_formats_are_the_setting():
    assert format_keys() == ["csv", "excel", "json", "zip"]
    assert {writer.extension for writer in available_formats()} == {"csv", "xlsx", "json", "zip"}


def test_get_format_returns_the_writer_and_refuses_unknown_keys():
    assert get_format("excel").content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with pytest.raises(LookupError, match="Unknown export format 'pdf'"):
        get_format("pdf")


def test_formats_per_data_type():
    assert [writer.key for writer in formats_for("leads")] == ["csv", "excel", "json", "zip"]
    assert [writer.key for writer in formats_for("analytics")] == ["excel", "json"]
    assert [writer.key for writer in formats_for("comprehensive")] == ["excel", "json", "zip"]


class SemicolonCsv(CsvFormat):
    key = "scsv"
    label = "CSV (semicolons)"


def test_the_registry_follows_the_setting_and_resets_after_it():
    with override_settings(EXPORT_FORMATS=["exports.formats.delimited.CsvFormat", f"{__name__}.SemicolonCsv"]):
        assert format_keys() == ["csv", "scsv"]
        assert get_format("scsv").label == "CSV (semicolons)"
        assert get_format("scsv").extension == "csv"  # inherited class attributes
    assert format_keys() == ["csv", "excel", "json", "zip"]


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["exports.formats.nothing.Here"], "cannot import"),
        (["exports.formats.base.PROGRESS_EVERY"], "is not an export format class"),
        (["exports.formats.delimited.CsvFormat", "exports.formats.delimited.CsvFormat"], "two formats use the key"),
    ],
)
def test_a_bad_setting_is_a_configuration_error_naming_the_path(paths, message):
    with override_settings(EXPORT_FORMATS=paths), pytest.raises(ImproperlyConfigured, match=message):
        format_keys()
