import csv
import io
import json
import zipfile

import openpyxl
import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from exports.models import Export, ExportStatus
from leads.filters import filters_from_query
from leads.selectors import lead_list
from tests.exports.factories import UserFactory
from tests.exports.services.fakes import FakeWriter, install
from tests.factories import LeadFactory

EXPORTER = ["leads.view_lead", "exports.export_leads"]
MANAGER = [*EXPORTER, "exports.view_contact_info", "exports.view_all_exports"]
CHANGELIST = reverse("admin:leads_lead_changelist")
EXPORT_PAGE = reverse("admin:leads_lead_export")


@pytest.fixture
def exporter(db):
    return UserFactory(username="staff", permissions=EXPORTER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", permissions=MANAGER)


@pytest.fixture
def staff_client(client, exporter):
    client.force_login(exporter)
    return client


@pytest.fixture
def leads(db):
    return {
        "new_bikes": [LeadFactory(title=f"Red bike {n}", status="new") for n in range(3)],
        "contacted_bike": LeadFactory(title="Blue bike", status="contacted"),
        "sofa": LeadFactory(title="Sofa", status="new"),
    }


def file_ids(response, export_format: str) -> list[int]:
    """The lead ids in a downloaded file, read back with the format's real reader (first column: id)."""
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return [int(row[0]) for row in list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]]
    if export_format == "excel":
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True)["Leads"]
        return [int(row[0]) for row in list(sheet.iter_rows(values_only=True))[1:]]
    if export_format == "json":
        return [lead["id"] for lead in json.loads(content)["leads"]]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("leads.csv").decode("utf-8-sig"))))
    return [int(row[0]) for row in rows[1:]]


def file_header(response) -> list[str]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(content)))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The query string ---------------------------------------------------------------------------------


def test_spec_parameters_drop_admin_only_parameters_and_keep_the_search():
    query = QueryDict("o=2.-1&p=3&e=1&_changelist_filters=x%3D1&all=&_popup=1&q=bike&status=new&status=contacted&ids=")

    assert filters_from_query(query) == {"status": ["new", "contacted"], "q": "bike"}


# The changelist button and actions ----------------------------------------------------------------


def test_the_changelist_button_exports_everything_its_filters_match(staff_client, leads):
    response = staff_client.get(CHANGELIST, {"q": "bike", "o": "1", "p": "0"})

    assert response.status_code == 200
    assert response.context["export_all_url"] == f"{EXPORT_PAGE}?q=bike"
    assert f'href="{EXPORT_PAGE}?q=bike"' in response.content.decode()


def test_the_export_actions_are_offered_to_exporters_only(client, staff_client, leads):
    actions = dict(staff_client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    client.force_login(UserFactory(username="reader", permissions=["leads.view_lead"]))
    reader_page = client.get(CHANGELIST)

    assert {"export_selected_csv", "export_selected_excel", "export_selected_json", "export_selected_zip"} <= set(
        actions
    )
    assert "export_all_url" not in reader_page.context
    assert client.get(EXPORT_PAGE).status_code == 403


def test_the_action_on_selected_rows_exports_exactly_those_rows(staff_client, leads):
    chosen = [leads["sofa"].pk, leads["new_bikes"][1].pk]

    response = staff_client.post(CHANGELIST, {"action": "export_selected_csv", "_selected_action": chosen})

    assert response.status_code == 302
    page_url = response["Location"]
    assert page_url == f"{EXPORT_PAGE}?ids={min(chosen)}%2C{max(chosen)}&format=csv"
    page = staff_client.get(page_url)
    assert page.context["count"] == 2
    assert page.context["form"]["format"].value() == "csv"

    download = staff_client.post(page_url, {"format": "csv", "columns": ["id", "title"]})

    assert download.status_code == 200
    assert sorted(file_ids(download, "csv")) == sorted(chosen)
    assert Export.objects.get().filters == {"ids": sorted(chosen)}


def test_select_all_across_pages_exports_the_changelists_filters(staff_client, leads):
    response = staff_client.post(
        f"{CHANGELIST}?q=bike&o=1",
        {"action": "export_selected_json", "select_across": "1", "_selected_action": [leads["sofa"].pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{EXPORT_PAGE}?q=bike&format=json"


@pytest.mark.parametrize("export_format", ["csv", "excel", "json", "zip"])
def test_export_all_filtered_holds_exactly_the_leads_the_filters_select(staff_client, leads, export_format):
    changelist = staff_client.get(CHANGELIST, {"q": "bike", "status": "new", "o": "-1"})
    page_url = changelist.context["export_all_url"]

    response = staff_client.post(page_url, {"format": export_format, "columns": ["id", "title", "status"]})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    expected = list(lead_list(filters={"q": "bike", "status": "new"}).values_list("pk", flat=True))
    assert sorted(expected) == sorted(lead.pk for lead in leads["new_bikes"])
    assert file_ids(response, export_format) == expected
    export = Export.objects.get()
    assert export.status == ExportStatus.COMPLETED
    assert export.filters == {"status": ["new"], "q": "bike"}
    assert export.download_count == 1


# The export page ----------------------------------------------------------------------------------


def test_the_page_shows_count_preview_and_column_picker(staff_client, db):
    for n in range(12):
        LeadFactory(title=f"Lamp {n}")

    response = staff_client.get(EXPORT_PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["count"] == 12
    assert len(response.context["preview_rows"]) == 10
    assert "the first 10 of 12" in html
    assert 'name="columns" value="title" checked' in html
    assert 'name="format"' in html
    assert 'name="csv_bom"' in html
    assert 'name="update_ready"' in html
    assert '<li aria-current="page">Export</li>' in html  # native breadcrumbs


def test_the_page_offers_contact_info_only_masked_or_hashed_without_the_permission(staff_client, leads):
    html = staff_client.get(EXPORT_PAGE).content.decode()

    # Masked or hashed contact values need no permission; plain ones are never offered or shown.
    assert "Include contact information, masked or hashed" in html
    assert 'value="email"' in html and 'value="plain"' not in html
    assert leads["sofa"].email not in html


def test_the_page_offers_contact_info_with_the_permission(client, manager, leads):
    client.force_login(manager)

    html = client.get(EXPORT_PAGE).content.decode()

    assert 'name="include_contact_info"' in html
    assert 'class="export-column export-column-contact" data-column="email"' in html


def test_contact_columns_reach_the_file_only_when_included(client, manager, leads):
    client.force_login(manager)
    data = {"format": "csv", "columns": ["id", "email"]}

    without = client.post(f"{EXPORT_PAGE}?ids={leads['sofa'].pk}", data)
    included = client.post(f"{EXPORT_PAGE}?ids={leads['sofa'].pk}", {**data, "include_contact_info": "on"})

    assert file_header(without) == ["ID"]
    assert file_header(included) == ["ID", "E-mail"]


def test_a_big_export_runs_in_the_background_and_lands_on_the_history(
    staff_client, leads, settings, django_capture_on_commit_callbacks
):
    settings.QUICK_EXPORT_LIMIT = 2
    page = staff_client.get(f"{EXPORT_PAGE}?status=new")
    assert "runs in the background" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{EXPORT_PAGE}?status=new", {"format": "csv", "columns": ["id"]})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:exports_export_changelist")
    export = Export.objects.get()
    assert export.row_count == 4
    assert export.status == ExportStatus.COMPLETED  # the test task backend runs the task at commit
    history = staff_client.get(response["Location"])
    assert any("running in the background" in message for message in messages_of(history))
    assert reverse("exports:download", args=[export.pk]) in history.content.decode()


def test_an_export_over_the_limit_is_refused_with_count_and_limit(staff_client, leads, settings):
    settings.EXPORT_MAX_RECORDS = 3

    page = staff_client.get(EXPORT_PAGE)
    response = staff_client.post(EXPORT_PAGE, {"format": "csv", "columns": ["id"]})

    assert "over the limit of 3" in page.content.decode()
    assert response.status_code == 200
    assert "This export would contain 5 leads, over the limit of 3." in response.content.decode()
    assert not Export.objects.exists()


def test_bad_filters_show_an_error_instead_of_a_form(staff_client, leads):
    response = staff_client.get(EXPORT_PAGE, {"date_from": "yesterday", "min_price": "-4"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "The filters could not be applied" in html
    assert "Enter a valid date as YYYY-MM-DD." in html
    assert 'id="export-form"' not in html


def test_a_form_error_keeps_the_page(staff_client, leads):
    response = staff_client.post(EXPORT_PAGE, {"format": "csv", "columns": []})

    assert response.status_code == 200
    assert "Choose at least one column." in response.content.decode()
    assert not Export.objects.exists()


def test_the_export_page_needs_a_csrf_token(exporter, leads):
    client = Client(enforce_csrf_checks=True)
    client.force_login(exporter)

    response = client.post(EXPORT_PAGE, {"format": "csv", "columns": ["id"]})

    assert response.status_code == 403
    assert not Export.objects.exists()


def test_a_failed_export_lands_on_the_history_with_its_message(staff_client, leads, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1, error=OSError("No space left on device")))

    response = staff_client.post(EXPORT_PAGE, {"format": "csv", "columns": ["id"]}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:exports_export_changelist")
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED
    assert [message for message in messages_of(response) if message.startswith("The export failed:")]
