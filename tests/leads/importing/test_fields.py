"""The import's field list and header matching: one declaration, which the exports' columns follow."""

import pytest

from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS, ValueMode
from leads.importing.fields import LEAD_FILE_FIELDS, header_field


def test_the_default_export_columns_are_the_import_fields():
    assert DEFAULT_COLUMN_KEYS is LEAD_FILE_FIELDS


@pytest.mark.parametrize("mode", [ValueMode.READABLE, ValueMode.RAW, ValueMode.DOCUMENT])
def test_every_importable_export_column_header_names_its_field(mode, settings):
    settings.TIME_ZONE = "America/Los_Angeles"  # dates name the zone in readable headers
    importable = [column for column in LEAD_COLUMNS if column.import_name]

    assert {column.header_for(mode): header_field(column.header_for(mode)) for column in importable} == {
        column.header_for(mode): column.import_name for column in importable
    }


@pytest.mark.parametrize(
    ("header", "field"),
    [
        (" Source Post-ID ", "source_post_id"),
        ("SCRAPED_AT", "scraped_at"),
        ("Found at (UTC)", "scraped_at"),
        ("Location code", None),
        ("Notes", None),
        (None, None),
        ("", None),
    ],
)
def test_headers_are_matched_loosely(header, field):
    assert header_field(header) == field
