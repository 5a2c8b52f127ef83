"""A spec that matches nothing (a location or category name that does not exist: `IN ()` in SQL) is an
empty file with the header, in every format and data type, on the portable path and through COPY."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from exports.content.columns import columns_resolve
from exports.datasets.registry import available_datasets
from exports.formats.registry import formats_for
from exports.models import Export, ExportStatus
from exports.services import ExportRequest, export_start
from exports.storage import export_storage
from tests.api.conftest import MANAGER_PERMISSIONS, grant, token_client
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

NOTHING = [{"location_names": "atlantis"}, {"categories": "nope"}]
# The data types of leads (other apps' data types, e.g. outreach's, test their own empty files).
LEAD_DATA_TYPES = ("leads", "analytics", "comprehensive")
CASES = [
    (dataset.key, writer.key)
    for dataset in available_datasets()
    if dataset.key in LEAD_DATA_TYPES
    for writer in formats_for(dataset)
]


@pytest.fixture
def manager(db):
    return grant(UserFactory(username="manager"), *MANAGER_PERMISSIONS)


@pytest.fixture
def leads(db):
    return [LeadFactory(title=f"Lead {n}") for n in range(3)]


@pytest.fixture(params=[True, False], ids=["copy", "portable"])
def csv_path(request, settings):
    settings.EXPORT_CSV_COPY = request.param  # COPY is used on PostgreSQL only; SQLite is always portable


def stored(export: Export) -> bytes:
    with export_storage().open(export.file.name, "rb") as file:
        return file.read()


LEAD_SHAPED = ("leads", "analytics", "comprehensive")


def assert_empty_rows(export_format: str, content: bytes, data_type: str) -> None:
    """A data type of other records (rule runs, messages): its own header, no rows."""
    from exports.datasets.base import ExportContext, Style
    from exports.datasets.registry import get_dataset

    dataset = get_dataset(data_type)(context=ExportContext(data_type=data_type))
    if export_format == "csv":
        assert content.decode("utf-8-sig") == ",".join(dataset.layout(Style.TABLE).names) + "\r\n"
    elif export_format == "excel":
        first = openpyxl.load_workbook(io.BytesIO(content))[dataset.rows_label]
        assert first.max_row == 1 and first.cell(1, 1).value == dataset.layout(Style.TABLE).names[0]
    elif export_format == "json":
        assert json.loads(content)[dataset.rows_key] == []
    elif export_format == "zip":
        assert json.loads(zipfile.ZipFile(io.BytesIO(content)).read("manifest.json"))["row_count"] == 0
    else:
        assert content


def assert_empty(export_format: str, content: bytes, data_type: str) -> None:
    if data_type not in LEAD_SHAPED:
        return assert_empty_rows(export_format, content, data_type)
    if export_format == "csv":
        header = ",".join(column.header for column in columns_resolve(keys=None, include_contact_info=False))
        assert content.decode("utf-8") == header + "\r\n"
    elif export_format == "excel":
        book = openpyxl.load_workbook(io.BytesIO(content))
        first = book[book.sheetnames[0]]
        if data_type == "analytics":
            assert book.sheetnames[0] == "Overview"
        else:
            assert first.max_row == 1 and first.cell(1, 1).value == "ID"
    elif export_format == "json":
        document = json.loads(content)
        assert document["metadata"]["count"] == 0
        if data_type != "analytics":
            assert document["leads"] == []
        if data_type != "leads":
            assert document["analytics"]["exportable_data"]["total_leads"] == 0
    elif export_format == "zip":
        archive = zipfile.ZipFile(io.BytesIO(content))
        header, *rows = csv.reader(io.StringIO(archive.read("leads.csv").decode("utf-8"), newline=""))
        assert header[0] == "ID" and rows == []
        assert json.loads(archive.read("manifest.json"))["row_count"] == 0
    else:  # a format added to the registry: at least a file
        assert content


@pytest.mark.parametrize("spec", NOTHING, ids=["location", "category"])
@pytest.mark.parametrize(("data_type", "export_format"), CASES)
def test_every_format_writes_an_empty_file(manager, leads, csv_path, spec, data_type, export_format):
    export = export_start(request=ExportRequest(user=manager, filters=spec, format=export_format, data_type=data_type))

    assert export.status == ExportStatus.COMPLETED, export.error_message
    assert (export.row_count, export.rows_written) == (0, 0)
    assert_empty(export_format, stored(export), data_type)


@pytest.mark.parametrize("query", ["location_names=atlantis", "categories=nope"])
def test_the_quick_csv_endpoint_answers_the_header(manager, leads, csv_path, query):
    response = token_client(manager).get(f"/api/v1/export/leads/csv?{query}")

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"ID,") and content.count(b"\r\n") == 1


def test_the_admin_export_page_downloads_the_header(client, manager, leads, csv_path):
    client.force_login(manager)
    response = client.post(
        f"{reverse('admin:leads_lead_export')}?location_names=atlantis", {"format": "csv", "columns": ["id", "title"]}
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"ID,Title\r\n"
