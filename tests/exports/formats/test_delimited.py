import csv
import datetime
import io

import pytest

from exports.columns import COLUMNS_BY_KEY, DEFAULT_COLUMN_KEYS
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.exports.formats.conftest import CSV_HOSTILE, FORMULA_PAYLOADS, LONG_DESCRIPTION, WORLD_TEXT, ZONE
from tests.exports.formats.expected import csv_text, raw_value, readable_value, selected_leads

pytestmark = pytest.mark.django_db

CONTACT_KEYS = {"contact_name", "email", "phone"}
IMPORT_HEADERS = [
    "id",
    "source_post_id",
    "location",
    "title",
    "description",
    "price",
    "status",
    "category",
    "url",
    "contact_name",
    "email",
    "phone",
    "posted_at",
    "scraped_at",
]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_default_columns_hold_exactly_the_filtered_leads_without_contact_columns(leads, exporter):
    export = ExportFactory(format="csv", created_by=exporter, filters={"categories": ["sss"]})

    header, *rows = read_csv(export_write_bytes(export))

    keys = [key for key in DEFAULT_COLUMN_KEYS if key not in CONTACT_KEYS]
    assert header == [COLUMNS_BY_KEY[key].header for key in keys]
    assert "Found at (America/Los_Angeles)" in header and "E-mail" not in header
    expected = [[csv_text(readable_value(lead, key), key) for key in keys] for lead in selected_leads(export.filters)]
    assert rows == expected
    assert len(rows) == len(FORMULA_PAYLOADS) + 2  # the payload leads, "hostile" and "control" are for sale


def test_chosen_columns_in_chosen_order_with_contact_info(leads, exporter):
    keys = ["email", "status", "location_code", "title", "updated_at", "scrape_run_id", "phone", "id"]
    export = ExportFactory(format="csv", created_by=exporter, columns=keys, include_contact_info=True)

    header, *rows = read_csv(export_write_bytes(export))

    assert header == [COLUMNS_BY_KEY[key].header for key in keys]
    assert rows == [[csv_text(readable_value(lead, key), key) for key in keys] for lead in selected_leads({})]


def test_contact_columns_are_absent_when_contact_info_is_off_even_if_chosen(leads, exporter):
    export = ExportFactory(format="csv", created_by=exporter, columns=["title", "email", "phone"])

    header, *rows = read_csv(export_write_bytes(export))

    assert header == ["Title"]
    assert all(len(row) == 1 for row in rows)


def test_formula_payloads_get_a_leading_quote_and_numbers_do_not(leads, exporter):
    export = ExportFactory(
        format="csv",
        created_by=exporter,
        columns=["id", "title", "contact_name", "phone", "price"],
        include_contact_info=True,
        filters={"status": ["new"], "categories": ["sss"]},
    )

    _, *rows = read_csv(export_write_bytes(export))

    titles = [row[1] for row in rows]
    dangerous = [payload for payload in FORMULA_PAYLOADS if payload != "{=1+1}"]
    assert sorted(titles) == sorted(["'" + payload for payload in dangerous] + ["{=1+1}"])
    assert all(row[2] == row[1] for row in rows)  # contact name carries the same payload
    assert {row[3] for row in rows} == {"'+14155550100"}  # stored in E.164
    assert {row[4] for row in rows} == {"1234.50"}
    assert all(row[0].isdigit() for row in rows)


def test_rfc4180_crlf_quoting_and_awkward_text_survive(leads, exporter):
    export = ExportFactory(format="csv", created_by=exporter, columns=["title", "description"])

    data = export_write_bytes(export)

    assert data.startswith(b"Title,Description\r\n")
    assert b'"He said ""hi"", then, left\nand came back\r\nlater"' in data
    rows = {row[0]: row[1] for row in read_csv(data)[1:]}
    assert rows[CSV_HOSTILE] == CSV_HOSTILE
    assert rows[WORLD_TEXT] == WORLD_TEXT
    assert rows["Long one"] == LONG_DESCRIPTION  # CSV keeps the full text
    assert rows["Bell\x07 vertical\x0b form\x0c escape\x1b end"].startswith("Bell\x07")


@pytest.mark.parametrize("bom", [True, False])
def test_byte_order_mark_option(leads, exporter, bom):
    export = ExportFactory(format="csv", created_by=exporter, columns=["title"], options={"csv_bom": bom})

    data = export_write_bytes(export)

    assert data.startswith(b"\xef\xbb\xbfTitle\r\n") is bom
    assert data.startswith(b"Title\r\n") is not bom


def test_update_ready_writes_ids_and_raw_codes_under_import_names(leads, exporter):
    export = ExportFactory(
        format="csv",
        created_by=exporter,
        columns=[*DEFAULT_COLUMN_KEYS, "location_code", "updated_at"],
        include_contact_info=True,
        options={"update_ready": True},
    )

    header, *rows = read_csv(export_write_bytes(export))

    assert header == IMPORT_HEADERS
    selected = selected_leads({})
    assert rows == [[csv_text(raw_value(lead, key), key, raw=True) for key in IMPORT_HEADERS] for lead in selected]
    first = dict(zip(header, rows[0], strict=True))
    assert datetime.datetime.fromisoformat(first["scraped_at"]) == selected[0].scraped_at
    assert first["scraped_at"].endswith("-08:00")  # the site's zone, offset included
    assert first["status"] == selected[0].status and first["location"] == selected[0].location.site_code


def test_update_ready_always_holds_the_columns_that_identify_a_lead(leads, exporter):
    export = ExportFactory(
        format="csv", created_by=exporter, columns=["title", "status"], options={"update_ready": True}
    )

    header, *rows = read_csv(export_write_bytes(export))

    assert header == ["id", "source_post_id", "location", "title", "status"]
    assert {row[2] for row in rows} == {"sfbay", "telaviv"}
    assert {row[4] for row in rows} <= {"new", "contacted", "qualified", "converted", "rejected"}


def test_an_empty_selection_writes_the_header_only(leads, exporter):
    export = ExportFactory(format="csv", created_by=exporter, columns=["title"], filters={"q": "nothing-matches-this"})

    assert export_write_bytes(export) == b"Title\r\n"


def test_progress_is_reported_with_the_final_count(leads, exporter):
    progress = []
    export = ExportFactory(format="csv", created_by=exporter)

    export_write_bytes(export, progress=progress)

    assert progress[-1] == len(selected_leads({}))
    assert ZONE  # the site zone of these tests
