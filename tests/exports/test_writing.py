import csv
import io
import json
import tempfile
import zipfile

import openpyxl
import pytest

from exports.errors import ExportError
from exports.services.writing import export_write
from leads.selectors import LeadFilterError, lead_list
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_leads():
    return LeadFactory.create_batch(5, status="new") + LeadFactory.create_batch(3, status="rejected")


def ids_in(export_format: str, data: bytes) -> list[int]:
    """The lead ids a file holds, read back with the format's real reader."""
    if export_format == "csv":
        return [int(row[0]) for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]]
    if export_format == "excel":
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Leads"]
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    if export_format == "json":
        return [lead["id"] for lead in json.loads(data)["leads"]]
    return ids_in("csv", zipfile.ZipFile(io.BytesIO(data)).read("leads.csv"))


@pytest.mark.parametrize("export_format", ["csv", "excel", "json", "zip"])
def test_every_format_holds_exactly_the_leads_the_filter_selects(many_leads, export_format):
    filters = {"status": ["new"]}
    export = ExportFactory(format=export_format, filters=filters, columns=["id", "title"])
    progress = []

    data = export_write_bytes(export, progress=progress)

    expected = list(lead_list(filters=filters).values_list("pk", flat=True))
    assert ids_in(export_format, data) == expected and len(expected) == 5
    assert progress[-1] == 5


def test_writes_into_a_real_file_and_returns_the_rows(many_leads):
    export = ExportFactory(format="json", columns=["id"])
    with tempfile.TemporaryFile() as destination:
        rows = export_write(export=export, destination=destination, on_progress=lambda rows: None)
        destination.seek(0)
        document = json.loads(destination.read())
    assert rows == 8 == document["metadata"]["count"] == len(document["leads"])


def test_a_format_that_cannot_hold_the_data_type_is_a_clear_error():
    export = ExportFactory(format="csv", data_type="analytics")
    with pytest.raises(ExportError, match="CSV files cannot hold analytics exports; choose one of: Excel, JSON"):
        export_write_bytes(export)


def test_a_spec_that_no_longer_validates_raises():
    export = ExportFactory(format="csv", filters={"location_ids": [987654]})
    with pytest.raises(LeadFilterError):
        export_write_bytes(export)


def test_an_unknown_format_is_an_export_error():
    export = ExportFactory(format="pdf")
    with pytest.raises(ExportError, match="Unknown export format"):
        export_write_bytes(export)


@pytest.mark.parametrize(("export_format", "import_format"), [("csv", "csv"), ("excel", "xlsx"), ("json", "json")])
def test_update_ready_files_re_import_as_updates_of_those_leads(export_format, import_format, settings):
    from leads.imports import lead_import
    from leads.models import Lead

    settings.TIME_ZONE = "America/Los_Angeles"
    originals = [
        LeadFactory(title="=1+1 formula-looking title", status="new", phone="+1 415 555 0100"),
        LeadFactory(title='Vélo 🚲, "quoted"\nsecond line', status="qualified", price=None, posted_at=None),
        LeadFactory(title="-2 plain", status="contacted"),
    ]
    export = ExportFactory(format=export_format, include_contact_info=True, options={"update_ready": True})
    data = export_write_bytes(export)
    before = {lead["id"]: lead for lead in Lead.objects.values()}
    Lead.objects.update(title="changed", status="rejected", phone="", price=1)

    result = lead_import(file_path_or_bytes=data, format=import_format)

    assert not result.errors, result.errors
    assert (result.new, result.updated) == (0, len(originals))
    after = {lead["id"]: lead for lead in Lead.objects.values()}
    for pk, lead in before.items():
        for field in ("title", "status", "phone", "price", "posted_at", "scraped_at", "location_id", "category_id"):
            assert after[pk][field] == lead[field], (export_format, field)
