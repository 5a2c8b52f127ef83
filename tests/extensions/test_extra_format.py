"""The format registry is the only list of formats: a format defined here, outside the app, and listed in
EXPORT_FORMATS appears and works everywhere a format is offered, without editing any other file."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from exports.formats.delimited import CsvFormat
from exports.models import Export, ExportStatus
from exports.storage import export_storage
from leads.selectors import lead_list
from tests.api.conftest import MANAGER_PERMISSIONS, grant, token_client
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

API = "/api/v1/export/"
TSV_MEDIA_TYPE = "text/tab-separated-values"


class TsvFormat(CsvFormat):
    """Tab-separated values: the CSV writer with another dialect, extension and media type."""

    key = "tsv"
    label = "TSV"
    extension = "tsv"
    content_type = f"{TSV_MEDIA_TYPE}; charset=utf-8"
    dialect = "excel-tab"


WITH_TSV = override_settings(EXPORT_FORMATS=[*settings.EXPORT_FORMATS, f"{__name__}.TsvFormat"])


@pytest.fixture(autouse=True)
def _tsv_registered():
    with WITH_TSV:
        yield


@pytest.fixture
def leads(db):
    return [LeadFactory(title=f"Lead, {n}", status="new" if n % 2 else "contacted") for n in range(1, 6)]


@pytest.fixture
def manager(db):
    return grant(UserFactory(username="manager", is_superuser=False), *MANAGER_PERMISSIONS)


def tsv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline=""), dialect="excel-tab"))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def expected_ids(filters: dict) -> list[str]:
    return [str(pk) for pk in lead_list(filters=filters).values_list("pk", flat=True)]


def test_the_admin_offers_an_action_and_a_radio_button_and_exports_tsv(client, manager, leads):
    client.force_login(manager)
    changelist = reverse("admin:leads_lead_changelist")
    page = reverse("admin:leads_lead_export")

    actions = dict(client.get(changelist).context["action_form"].fields["action"].choices)
    assert actions["export_selected_tsv"] == "Export selected leads as TSV"
    chosen = [leads[0].pk, leads[1].pk]
    redirect = client.post(changelist, {"action": "export_selected_tsv", "_selected_action": chosen})
    assert redirect.status_code == 302 and redirect["Location"].endswith("&format=tsv")

    export_page = client.get(redirect["Location"])
    assert ("tsv", "TSV") in export_page.context["form"].fields["format"].choices
    assert 'value="tsv"' in export_page.content.decode()

    response = client.post(f"{page}?status=new", {"format": "tsv", "columns": ["id", "title"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(TSV_MEDIA_TYPE)
    assert response["Content-Disposition"].endswith('.tsv"')
    header, *rows = tsv_rows(body(response))
    assert header == ["ID", "Title"]
    assert [row[0] for row in rows] == expected_ids({"status": "new"})
    assert all(row[1].startswith("Lead, ") for row in rows)  # a comma needs no quoting between tabs


def test_config_lists_it_and_create_makes_it(manager, leads):
    api = token_client(manager)

    types = api.get(f"{API}config/export-types").json()["export_types"]
    tsv = next(item for item in types if item["value"] == "tsv")
    assert (
        tsv["label"] == "TSV"
        and tsv["extension"] == "tsv"
        and tsv["data_types"] == ["leads", "auto_responses", "ab_test_results", "rule_executions"]
    )

    created = api.post(f"{API}create", {"export_type": "tsv", "filters": {"status": ["contacted"]}}, format="json")
    assert created.status_code == 201, created.json()
    export = Export.objects.get(pk=created.json()["id"])
    assert (export.format, export.status) == ("tsv", ExportStatus.COMPLETED)
    assert export.file_name.endswith(".tsv")
    download = api.get(created.json()["download_url"])
    assert download["Content-Type"].startswith(TSV_MEDIA_TYPE)
    assert [row[0] for row in tsv_rows(body(download))[1:]] == expected_ids({"status": "contacted"})

    history = api.get(f"{API}history?export_type=tsv").json()
    assert [item["id"] for item in history["results"]] == [str(export.pk)]


def test_a_format_that_cannot_hold_the_data_type_is_refused_by_the_api(manager, leads):
    response = token_client(manager).post(
        f"{API}create", {"export_type": "tsv", "data_type": "analytics"}, format="json"
    )
    assert response.status_code == 400
    assert "cannot hold analytics" in response.json()["format"][0]


def test_the_openapi_schema_lists_it(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    enums = [component.get("enum") for component in schema["components"]["schemas"].values()]
    assert any(enum and "tsv" in enum and "csv" in enum for enum in enums)
    download = schema["paths"]["/api/v1/export/download"]["post"]["responses"]["200"]["content"]
    assert TSV_MEDIA_TYPE in download
    history_parameters = schema["paths"]["/api/v1/export/history"]["get"]["parameters"]
    export_type = next(parameter for parameter in history_parameters if parameter["name"] == "export_type")
    enum = export_type["schema"].get("enum") or _resolve(schema, export_type["schema"])["enum"]
    assert "tsv" in enum


def _resolve(schema: dict, reference: dict) -> dict:
    name = reference["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def test_the_command_line_accepts_it(leads, tmp_path):
    UserFactory(username="boss", is_superuser=True)
    target = tmp_path / "leads.tsv"

    call_command("export_leads", "--format", "tsv", "--status", "new", "-o", str(target), stdout=io.StringIO())

    header, *rows = tsv_rows(target.read_bytes())
    assert header[0] == "ID"
    assert [row[0] for row in rows] == expected_ids({"status": "new"})
    export = Export.objects.get()
    with export_storage().open(export.file.name, "rb") as stored:
        assert stored.read() == target.read_bytes()


def test_without_the_setting_it_is_unknown_everywhere(manager, leads, db):
    with override_settings(EXPORT_FORMATS=list(settings.EXPORT_FORMATS)[:4]):
        api = token_client(manager)
        response = api.post(f"{API}create", {"export_type": "tsv"}, format="json")
        assert response.status_code == 400 and "export_type" in response.json()
        assert "tsv" not in json.dumps(api.get(f"{API}config/export-types").json())


def test_the_history_filters_offer_it(client, manager, leads):
    client.force_login(manager)
    history = reverse("admin:exports_export_changelist")
    Export.objects.create(created_by=manager, format="tsv", status=ExportStatus.COMPLETED)
    Export.objects.create(created_by=manager, format="csv", status=ExportStatus.COMPLETED)

    page = client.get(history)
    assert "?format=tsv" in page.content.decode() and ">TSV<" in page.content.decode()
    filtered = client.get(f"{history}?format=tsv")
    assert [export.format for export in filtered.context["cl"].result_list] == ["tsv"]
