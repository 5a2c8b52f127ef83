import csv
import hashlib
import io
import json
import zipfile

import openpyxl
import pytest

import leadsite
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.exports.formats.expected import selected_leads

pytestmark = pytest.mark.django_db


def test_archive_holds_csv_excel_analytics_and_a_manifest(leads, exporter, settings):
    settings.EXPORT_COMPRESSION_LEVEL = 9
    export = ExportFactory(
        format="zip",
        created_by=exporter,
        columns=["id", "title", "email"],
        include_contact_info=True,
        filters={"categories": ["sss"]},
        options={"csv_bom": True},
    )

    archive = zipfile.ZipFile(io.BytesIO(export_write_bytes(export)))

    assert archive.namelist() == ["leads.csv", "leads.xlsx", "analytics.json", "manifest.json"]
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    selected = selected_leads(export.filters)
    ids = [str(lead.pk) for lead in selected]

    csv_bytes = archive.read("leads.csv")
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"), newline=""))
    assert header == ["ID", "Title", "E-mail"] and [row[0] for row in rows] == ids

    book = openpyxl.load_workbook(io.BytesIO(archive.read("leads.xlsx")))
    # One formula payload holds a control character: the workbook lists that cell on its Notes sheet.
    assert book.sheetnames == ["Leads", "Summary", "Notes", "Filters"]
    assert [str(row[0]) for row in book["Leads"].iter_rows(min_row=2, values_only=True)] == ids

    analytics = json.loads(archive.read("analytics.json"))
    assert analytics["leads"]["totals"]["leads"] == len(selected)

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["row_count"] == len(selected)
    assert manifest["application"] == {"name": "leadsite", "version": leadsite.__version__}
    assert manifest["filters"] == {"categories": ["sss"]}
    assert [column["key"] for column in manifest["columns"]] == ["id", "title", "email"]
    assert [entry["name"] for entry in manifest["files"]] == ["leads.csv", "leads.xlsx", "analytics.json"]
    for entry in manifest["files"]:
        content = archive.read(entry["name"])
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()


def test_comprehensive_export_is_the_same_archive(leads, exporter):
    export = ExportFactory(format="zip", created_by=exporter, data_type="comprehensive", columns=["id"])

    archive = zipfile.ZipFile(io.BytesIO(export_write_bytes(export)))

    assert archive.namelist() == ["leads.csv", "leads.xlsx", "analytics.json", "manifest.json"]
    assert json.loads(archive.read("manifest.json"))["data_type"] == "comprehensive"


def test_update_ready_archive_members_use_import_names(leads, exporter):
    export = ExportFactory(
        format="zip", created_by=exporter, columns=["title", "status"], options={"update_ready": True}
    )

    archive = zipfile.ZipFile(io.BytesIO(export_write_bytes(export)))

    assert archive.read("leads.csv").startswith(b"id,source_post_id,location,title,status\r\n")
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("leads.xlsx")))["Leads"]
    assert [cell.value for cell in sheet[1]] == ["id", "source_post_id", "location", "title", "status"]
