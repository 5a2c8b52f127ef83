"""Transformation options in every format (CSV, Excel, JSON, ZIP), and suppressed leads left empty."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import openpyxl
import pytest
from django.utils import formats, timezone

from exports.formats.pg_copy import copy_supported
from exports.writing import export_dataset
from leads.cell_safety import unneutralise
from leads.suppression import suppress
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "excel", "json", "zip"]
COLUMNS = ["id", "email", "phone", "contact_name", "scraped_at"]
FOUND = datetime.datetime(2026, 11, 27, 17, 30, 15, tzinfo=datetime.UTC)


@pytest.fixture
def lead():
    return LeadFactory(contact_name="Jo Smith", email="Jo@Example.com", phone="415-555-0165", scraped_at=FOUND)


def records(export_format: str, data: bytes) -> list[dict]:
    """The file's lead rows as {header: cell}, read with each format's real reader."""
    if export_format == "csv":
        header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        return [{name: unneutralise(cell) for name, cell in zip(header, row, strict=True)} for row in rows]
    if export_format == "excel":
        header, *rows = openpyxl.load_workbook(io.BytesIO(data))["Leads"].iter_rows(values_only=True)
        return [
            {name: "" if cell is None else unneutralise(str(cell)) for name, cell in zip(header, row, strict=True)}
            for row in rows
        ]
    if export_format == "json":
        return [{name: "" if cell is None else cell for name, cell in row.items()} for row in json.loads(data)["leads"]]
    return records("csv", zipfile.ZipFile(io.BytesIO(data)).read("leads.csv"))


def exported(export_format: str, **options) -> list[dict]:
    export = ExportFactory(format=export_format, columns=COLUMNS, include_contact_info=True, options=options)
    return records(export_format, export_write_bytes(export))


def cell(row: dict, *names: str):
    """The cell under the first of `names` the row has (CSV/Excel headers are labels, JSON keys are fields)."""
    return next(row[name] for name in names if name in row)


@pytest.mark.parametrize("export_format", FORMATS)
def test_masked_contact_values(lead, export_format):
    (row,) = exported(export_format, contact_mode="masked")
    assert cell(row, "E-mail", "email") == "J***@example.com"
    assert cell(row, "Phone", "phone") == "***-***-0165"
    assert cell(row, "Contact name", "contact_name") == "J***"


@pytest.mark.parametrize("export_format", FORMATS)
def test_hashed_contact_values_are_what_ad_platforms_take(lead, export_format):
    (row,) = exported(export_format, contact_mode="hashed")
    assert cell(row, "E-mail", "email") == hashlib.sha256(b"jo@example.com").hexdigest()
    assert cell(row, "Phone", "phone") == hashlib.sha256(b"+14155550165").hexdigest()


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("phone_format, expected", [("e164", "+14155550165"), ("national", "(415) 555-0165")])
def test_phone_formats(lead, export_format, phone_format, expected):
    (row,) = exported(export_format, phone_format=phone_format)
    assert cell(row, "Phone", "phone") == expected


@pytest.mark.parametrize("export_format", FORMATS)
def test_locale_dates(lead, export_format):
    (row,) = exported(export_format, date_style="locale")
    expected = formats.date_format(timezone.localtime(FOUND), "SHORT_DATETIME_FORMAT")
    assert cell(row, f"Found at ({timezone.get_default_timezone_name()})", "scraped_at") == expected


@pytest.mark.parametrize("export_format", FORMATS)
def test_headers_as_field_names_or_labels(lead, export_format):
    (as_fields,) = exported(export_format, headers="fields")
    assert list(as_fields) == COLUMNS
    (as_labels,) = exported(export_format, headers="labels")
    assert list(as_labels)[:4] == ["ID", "E-mail", "Phone", "Contact name"]


@pytest.mark.parametrize("export_format", FORMATS)
def test_a_suppressed_lead_has_empty_contact_fields_in_every_format(lead, export_format):
    other = LeadFactory(email="pat@example.com", phone="415-555-0100", scraped_at=FOUND - datetime.timedelta(days=1))
    suppress(email="jo@example.com", reason="opted_out")

    for options in ({}, {"contact_mode": "masked"}, {"contact_mode": "hashed"}):
        rows = {int(cell(row, "ID", "id")): row for row in exported(export_format, **options)}
        suppressed, kept = rows[lead.pk], rows[other.pk]
        assert [cell(suppressed, *names) for names in (("E-mail", "email"), ("Phone", "phone"))] == ["", ""]
        assert cell(kept, "E-mail", "email") != ""


def test_the_summary_says_how_many_leads_were_suppressed_and_which_options_applied(lead):
    suppress(phone="4155550165", reason="phone_request")
    export = ExportFactory(
        format="excel", columns=COLUMNS, include_contact_info=True, options={"contact_mode": "masked"}
    )
    book = openpyxl.load_workbook(io.BytesIO(export_write_bytes(export)))
    facts = {row[0]: row[1] for row in book["Filters"].iter_rows(values_only=True) if row and row[0]}
    assert facts["Suppressed leads (do-not-contact list; contact fields left empty)"] == 1
    assert facts["Contact values"] == "masked"

    export = ExportFactory(
        format="json", columns=COLUMNS, include_contact_info=True, options={"phone_format": "national"}
    )
    metadata = json.loads(export_write_bytes(export))["metadata"]
    assert metadata["suppressed_leads"] == 1
    assert metadata["transformations"]["phone_format"] == "national"


def test_options_that_need_python_route_around_copy(lead, settings):
    def copyable(**options):
        export = ExportFactory(format="csv", columns=COLUMNS, include_contact_info=True, options=options)
        columns, mode = export_dataset(export=export).columns_for(style="table")
        return copy_supported(columns=columns, mode=mode)

    if copyable() is False:
        pytest.skip("COPY is PostgreSQL's")
    assert copyable(contact_mode="masked") is False
    assert copyable(date_style="locale") is False


def test_the_export_page_preview_leaves_a_suppressed_leads_contact_cells_empty(lead):
    from exports.columns import COLUMNS_BY_KEY
    from exports.rows import preview_rows

    suppress(email="jo@example.com", reason="manual")
    (row,) = preview_rows(filters={}, columns=[COLUMNS_BY_KEY[key] for key in ("id", "email", "phone")])
    assert row == [str(lead.pk), "", ""]


def test_one_per_duplicate_group_is_the_specs_duplicates_first(admin_user):
    from exports.errors import ExportValidationError
    from exports.services import ExportRequest, export_create
    from leads.filters import LeadFilterSet

    request = ExportRequest(user=admin_user, options={"one_per_duplicate_group": True})
    if "duplicates" not in LeadFilterSet.base_filters:
        with pytest.raises(ExportValidationError, match="needs duplicate groups"):
            export_create(request=request)
    else:
        assert export_create(request=request).filters["duplicates"] == "first"
