"""The dashboard's "Export this view": analytics exports through the export engine, recorded in the history."""

import io
import json
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from exports.models import Export, ExportStatus
from leads.models import LeadStatus
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

URL = reverse("exports:analytics")


@pytest.fixture
def exporter_client(client):
    user = UserFactory(username="analyst", permissions=["leads.view_lead", "exports.export_leads", "leads.view_lead"])
    client.force_login(user)
    return client


@pytest.fixture
def leads():
    LeadFactory.create_batch(3, status=LeadStatus.CONVERTED)
    LeadFactory.create_batch(2, status=LeadStatus.NEW)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_json_export_holds_the_dashboards_filtered_analytics(exporter_client, leads):
    response = exporter_client.post(f"{URL}?status=converted", {"format": "json"})
    assert response.status_code == 200
    document = json.loads(body(response))
    assert document["analytics"]["leads"]["totals"]["leads"] == 3
    export = Export.objects.get()
    assert (export.data_type, export.status, export.filters) == (
        "analytics",
        ExportStatus.COMPLETED,
        {"status": ["converted"]},
    )


def test_excel_export_has_a_sheet_per_breakdown(exporter_client, leads):
    response = exporter_client.post(URL, {"format": "excel"})
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    assert len(workbook.sheetnames) > 2


def test_zip_is_the_comprehensive_package(exporter_client, leads):
    response = exporter_client.post(URL, {"format": "zip"})
    with zipfile.ZipFile(io.BytesIO(body(response))) as archive:
        assert {"leads.csv", "leads.xlsx", "analytics.json", "manifest.json"} <= set(archive.namelist())
    assert Export.objects.get().data_type == "comprehensive"


def test_bad_format_or_filters_return_to_the_dashboard_with_a_message(exporter_client, leads):
    response = exporter_client.post(URL, {"format": "csv"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("dashboard:index"))
    response = exporter_client.post(f"{URL}?status=nope", {"format": "json"}, follow=True)
    assert "could not be exported" in response.content.decode()
    assert not Export.objects.exists()


def test_needs_the_export_permission_and_post(client, leads):
    client.force_login(UserFactory(username="viewer", permissions=["leads.view_lead"]))
    response = client.post(URL, {"format": "json"}, follow=True)
    assert "permission" in response.content.decode()
    assert not Export.objects.exists()
    assert client.get(URL).status_code == 405


def test_dashboard_offers_the_buttons_only_to_exporters(client, exporter_client, leads):
    assert 'name="format" value="zip"' in exporter_client.get(reverse("dashboard:index")).content.decode()
    client.force_login(UserFactory(username="viewer", permissions=["leads.view_lead"]))
    assert 'name="format" value="zip"' not in client.get(reverse("dashboard:index")).content.decode()


def test_every_filter_of_the_dashboards_query_string_reaches_the_export(client, db):
    """Same spec, same numbers: the exported analytics are the figures the dashboard shows for that query."""
    user = UserFactory(username="dashboard-analyst", permissions=["exports.export_leads", "leads.view_lead"])
    client.force_login(user)
    LeadFactory.create_batch(4, title="Truck driver wanted", email="a@example.com", price=50)
    LeadFactory.create_batch(2, title="Truck driver, no mail", email="", price=50)
    LeadFactory.create_batch(3, title="Cashier", email="b@example.com", price=50)
    LeadFactory.create_batch(2, title="Cheap driver", email="c@example.com", price=1)
    query = "q=driver&has_email=true&min_price=10&date_from=2000-01-01&limit=3&status=new&status=contacted"

    dashboard = client.get(f"{reverse('dashboard:index')}?{query}")
    assert dashboard.status_code == 200 and not dashboard.context["invalid"]
    shown = dashboard.context["leads"]["totals"]
    assert shown["leads"] == 3  # the limit of the 4 that match every filter

    response = client.post(f"{URL}?{query}", {"format": "json"})

    assert response.status_code == 200, response.content[:500]
    document = json.loads(body(response))
    assert document["analytics"]["leads"]["totals"] == json.loads(json.dumps(shown, default=str))
    export = Export.objects.get()
    assert export.filters == dashboard.context["spec"]
    assert export.filters["q"] == "driver" and export.filters["limit"] == 3
