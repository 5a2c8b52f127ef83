"""The seed's export endpoints: files read back with the real readers, errors, permissions."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from rest_framework.test import APIClient

from exports.models import Export, ExportStatus
from leads.models import LeadStatus
from leads.selectors import lead_list
from tests.api.conftest import token_client
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/export/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_seed_quick_csv_example_with_accept_header(manager_api, leads):
    response = manager_api.get(f"{API}leads/csv?limit=10", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert {row["Title"] for row in rows} == {lead.title for lead in leads}
    assert Export.objects.get().status == ExportStatus.COMPLETED  # recorded like every export


def test_quick_csv_follows_the_filter_spec_exactly(sales_api):
    LeadFactory.create_batch(3, status=LeadStatus.NEW, price=50)
    LeadFactory.create_batch(2, status=LeadStatus.CONTACTED, price=50)
    LeadFactory(status=LeadStatus.NEW, price=500)
    response = sales_api.get(f"{API}leads/csv?status=new&max_price=100")
    expected = set(lead_list(filters={"status": "new", "max_price": "100"}).values_list("title", flat=True))
    assert {row["Title"] for row in csv_rows(response)} == expected
    assert len(expected) == 3


def test_contact_columns_only_with_the_permission(sales_api, manager_api, leads):
    plain = csv_rows(sales_api.get(f"{API}leads/csv"))
    assert "E-mail" not in plain[0]
    refused = sales_api.get(f"{API}leads/csv?include_contact_info=true")
    assert refused.status_code == 403
    with_contacts = csv_rows(manager_api.get(f"{API}leads/csv?include_contact_info=true"))
    assert {row["E-mail"] for row in with_contacts} == {lead.email for lead in leads}


def test_quick_excel_reads_back(manager_api, leads):
    response = manager_api.get(f"{API}leads/excel?min_price=30")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    sheet = workbook["Leads"]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(titles) == {lead.title for lead in leads if lead.price >= 30}


def test_analytics_json_and_comprehensive_zip(manager_api, leads):
    analytics = json.loads(body(manager_api.get(f"{API}analytics/json")))
    assert analytics["metadata"]["generated_by"] == "manager"
    archive = zipfile.ZipFile(io.BytesIO(body(manager_api.get(f"{API}comprehensive/zip"))))
    assert {"leads.csv", "leads.xlsx", "analytics.json", "manifest.json"} <= set(archive.namelist())


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("date_from=2026-02-30", "date_from"),
        ("min_price=5&max_price=1", "max_price"),
        ("limit=999999", "limit"),
        ("has_email=perhaps", "has_email"),
        ("include_contact_info=sure", "include_contact_info"),
    ],
)
def test_bad_query_values_are_400_naming_the_field(sales_api, query, field):
    response = sales_api.get(f"{API}leads/csv?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_create_immediate_then_download_by_id(manager_api, leads):
    payload = {
        "export_type": "csv",
        "data_type": "leads",
        "filters": {"limit": 10},
        "include_contact_info": True,
        "scheduled": False,
    }
    response = manager_api.post(f"{API}create", payload, format="json")
    assert response.status_code == 201
    record = response.json()
    assert record["status"] == "completed" and record["row_count"] == len(leads)
    detail = manager_api.get(f"{API}history/{record['id']}").json()
    assert detail["checksum_sha256"] == record["checksum_sha256"]
    file_response = manager_api.get(record["download_url"])
    assert file_response.status_code == 200
    assert len(csv_rows(file_response)) == len(leads)
    assert Export.objects.get(pk=record["id"]).download_count == 1


def test_create_scheduled_runs_in_the_background(manager_api, leads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_api.post(f"{API}create", {"export_type": "json", "scheduled": True}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    export = Export.objects.get(pk=response.json()["id"])
    assert export.status == ExportStatus.COMPLETED  # the (immediate test) task backend ran it at commit


def test_create_over_the_limit_states_count_and_limit(manager_api, leads, settings):
    settings.EXPORT_MAX_RECORDS = 3
    response = manager_api.post(f"{API}create", {"export_type": "csv"}, format="json")
    assert response.status_code == 400
    assert response.json()["count"] == 5 and response.json()["limit"] == 3
    assert "5" in response.json()["detail"] and "3" in response.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"export_type": "pdf"}, "export_type"),
        ({"export_type": "csv", "filters": {"colour": "red"}}, "filters"),
        ({"export_type": "csv", "filters": {"status": ["nope"]}}, "status"),
        ({}, "export_type"),
        ({"export_type": "csv", "columns": ["title", "shoe_size"]}, "columns"),
    ],
)
def test_create_rejects_bad_bodies_with_field_errors(manager_api, payload, field):
    response = manager_api.post(f"{API}create", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_malformed_json_is_400(manager_api):
    response = manager_api.post(f"{API}create", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_download_now_returns_the_file(manager_api, leads):
    response = manager_api.post(
        f"{API}download", {"export_type": "excel", "filters": {"status": ["new"]}}, format="json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_download_now_refuses_more_than_the_quick_limit(manager_api, leads, settings):
    settings.QUICK_EXPORT_LIMIT = 2
    response = manager_api.post(f"{API}download", {"export_type": "csv"}, format="json")
    assert response.status_code == 400
    assert response.json()["limit"] == 2


def test_not_completed_is_409_and_expired_is_410(manager_user, manager_api):
    pending = Export.objects.create(created_by=manager_user, format="csv", status=ExportStatus.PENDING)
    expired = Export.objects.create(created_by=manager_user, format="csv", status=ExportStatus.EXPIRED)
    assert manager_api.get(f"{API}history/{pending.pk}/file").status_code == 409
    assert manager_api.get(f"{API}history/{expired.pk}/file").status_code == 410


@pytest.mark.parametrize("export_id", ["garbage", "00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_or_garbage_ids_are_404(manager_api, export_id):
    assert manager_api.get(f"{API}history/{export_id}").status_code == 404
    assert manager_api.get(f"{API}history/{export_id}/file").status_code == 404


def test_history_is_own_unless_view_all(sales_user, sales_api, manager_user, manager_api):
    own = Export.objects.create(created_by=sales_user, format="csv")
    other = Export.objects.create(created_by=manager_user, format="csv")
    assert [row["id"] for row in sales_api.get(f"{API}history").json()["results"]] == [str(own.pk)]
    assert sales_api.get(f"{API}history/{other.pk}").status_code == 404
    ids = {row["id"] for row in manager_api.get(f"{API}history").json()["results"]}
    assert ids == {str(own.pk), str(other.pk)}
    assert manager_api.get(f"{API}history?status=bogus").status_code == 400


def test_cleanup_needs_the_permission_and_reports(sales_api, manager_api):
    assert sales_api.delete(f"{API}history/cleanup").status_code == 403
    response = manager_api.delete(f"{API}history/cleanup?days=1&dry_run=true")
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert manager_api.delete(f"{API}history/cleanup?days=0").status_code == 400


def test_wrong_method_is_405(manager_api):
    assert manager_api.get(f"{API}create").status_code == 405
    assert manager_api.post(f"{API}history").status_code == 405


def test_analytics_endpoints_follow_filters(manager_api):
    LeadFactory.create_batch(2, status=LeadStatus.CONVERTED)
    LeadFactory(status=LeadStatus.NEW)
    all_leads = manager_api.get(f"{API}analytics/leads").json()
    converted = manager_api.get(f"{API}analytics/leads?status=converted").json()
    assert all_leads["totals"]["leads"] == 3
    assert converted["totals"]["leads"] == 2
    assert manager_api.get(f"{API}analytics/leads?status=zzz").status_code == 400
    assert manager_api.get(f"{API}analytics/performance").status_code == 200
    stats = manager_api.get(f"{API}stats/exportable-data").json()
    assert stats["total_leads"] == 3
    generated = manager_api.post(f"{API}analytics/generate", {"filters": {"status": ["new"]}}, format="json").json()
    assert generated["leads"]["totals"]["leads"] == 1
    assert set(generated) >= {"leads", "performance", "exportable_data", "filters", "generated_at"}


def test_config_endpoints_describe_formats_types_and_filters(sales_api):
    types = sales_api.get(f"{API}config/export-types").json()
    assert {item["value"] for item in types["export_types"]} == {"csv", "excel", "json", "zip"}
    assert {item["value"] for item in sales_api.get(f"{API}config/data-types").json()["data_types"]} == {
        "leads",
        "analytics",
        "comprehensive",
        "rule_executions",
    }
    names = {item["name"] for item in sales_api.get(f"{API}config/filters").json()["filters"]}
    assert {"date_from", "date_to", "status", "location_ids", "keywords", "exclude_keywords", "limit"} <= names


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: None,
        lambda: UserFactory(username="not-staff", is_staff=False),
        lambda: UserFactory(username="inactive", is_active=False),
    ],
)
def test_anonymous_non_staff_and_inactive_are_refused(make_user):
    user = make_user()
    client = APIClient() if user is None else token_client(user)
    for path in ("history", "config/filters", "analytics/leads", "leads/csv"):
        assert client.get(f"{API}{path}").status_code in (401, 403)


def test_staff_without_export_permission_cannot_export(db):
    client = token_client(UserFactory(username="viewer"))
    assert client.get(f"{API}leads/csv").status_code == 403
    assert client.post(f"{API}create", {"export_type": "csv"}, format="json").status_code == 403


def test_export_creation_is_rate_limited_with_retry_after(manager_api, settings, leads):
    from django.core.cache import cache

    cache.clear()
    settings.API_EXPORT_RATE = "2/minute"
    statuses = [manager_api.get(f"{API}leads/csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = manager_api.get(f"{API}leads/csv")
    assert int(refused["Retry-After"]) > 0
    cache.clear()


def test_session_auth_needs_csrf_for_writes(manager_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(manager_user)
    assert client.get(f"{API}history").status_code == 200
    assert client.post(f"{API}create", {"export_type": "csv"}, format="json").status_code == 403
