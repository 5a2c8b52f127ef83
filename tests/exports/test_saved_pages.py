"""Saved exports for people: "Save this export…" on the export page, Run now / Open in lead list, and
changing a saved export's filters in the lead list with "Update saved export"."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from exports.admin.saved_page import EDITING_SESSION_KEY
from exports.models import Export, SavedExport
from tests.exports.factories import SavedExportFactory, UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

SALES = [
    "leads.view_lead",
    "exports.export_leads",
    "exports.add_savedexport",
    "exports.change_savedexport",
    "exports.view_savedexport",
    "exports.delete_savedexport",
]
EXPORT_PAGE = reverse("admin:leads_lead_export")
LEADS = reverse("admin:leads_lead_changelist")
SAVED = reverse("admin:exports_savedexport_changelist")


@pytest.fixture
def sales(client):
    user = UserFactory(username="sales", email="sales@example.com", permissions=SALES)
    client.force_login(user)
    return user


def save_data(**overrides) -> dict:
    data = {
        "format": "excel",
        "columns": ["price", "title"],
        "update_ready": "on",
        "_save_export": "Save this export",
        "save-name": "New bikes, weekly",
        "save-frequency": "weekly",
        "save-run_time": "08:30",
        "save-weekday": "0",
        "save-email_on_completion": "on",
    }
    data.update(overrides)
    return data


def test_save_this_export_keeps_what_the_page_shows(client, sales):
    LeadFactory(title="Red bike", status="new")
    page = client.get(f"{EXPORT_PAGE}?status=new&q=bike")
    assert "Save this export…" in page.content.decode()

    response = client.post(f"{EXPORT_PAGE}?status=new&q=bike", save_data())

    assert response.status_code == 302 and response.url == SAVED
    saved = SavedExport.objects.get(owner=sales)
    assert saved.name == "New bikes, weekly"
    assert saved.filters == {"status": ["new"], "q": "bike"}
    assert (saved.format, saved.columns, saved.options) == ("excel", ["price", "title"], {**saved.options})
    assert saved.options["update_ready"] is True and saved.options["csv_bom"] is False
    assert (saved.frequency, saved.run_time, saved.weekday) == ("weekly", datetime.time(8, 30), 0)
    assert saved.email_on_completion and saved.next_run_at is not None
    assert not Export.objects.exists()  # saving does not export


def test_save_errors_are_shown_on_the_page_and_nothing_is_saved(client, sales):
    response = client.post(f"{EXPORT_PAGE}?status=new", save_data(**{"save-name": "", "save-run_time": ""}))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the saved export a name." in content
    assert "Choose the time of day a scheduled export runs." in content
    assert 'id="export-save" open' in content
    assert not SavedExport.objects.exists()


def test_the_list_is_written_for_people_and_each_row_runs_and_opens(client, sales):
    saved = SavedExportFactory(owner=sales, name="Vans", filters={"status": ["new"], "q": "van"})
    content = client.get(SAVED).content.decode()

    assert "<h1>Saved exports</h1>" in content and "Select saved export to change" not in content
    assert reverse("admin:exports_savedexport_run", args=[saved.pk]) in content
    assert f'href="{LEADS}?status=new&amp;q=van"' in content
    assert "Last result" in content and "Next run" in content
    assert '<td class="field-last_result">Not run yet</td>' in content


def test_run_now_button_runs_it_and_says_so(client, sales):
    LeadFactory(status="new")
    saved = SavedExportFactory(owner=sales, name="All new", filters={"status": ["new"]})

    response = client.post(reverse("admin:exports_savedexport_run", args=[saved.pk]))

    assert response.status_code == 302 and response.url == SAVED
    assert Export.objects.get(saved_export=saved).rows_written == 1
    assert "All new: 1 rows exported." in next(str(m) for m in get_messages(response.wsgi_request))


def test_someone_elses_saved_export_cannot_be_run_or_edited(client, sales):
    other = SavedExportFactory(owner=UserFactory(username="other", permissions=SALES))
    assert client.post(reverse("admin:exports_savedexport_run", args=[other.pk])).status_code == 403
    assert client.get(reverse("admin:exports_savedexport_edit", args=[other.pk])).status_code == 403
    assert not Export.objects.exists()


def test_change_filters_in_the_lead_list_then_update(client, sales):
    LeadFactory(status="contacted", title="Old van")
    saved = SavedExportFactory(owner=sales, name="Vans", filters={"status": ["new"]}, columns=["title"])

    response = client.get(reverse("admin:exports_savedexport_edit", args=[saved.pk]))
    assert response.status_code == 302 and response.url == f"{LEADS}?status=new"
    assert client.session[EDITING_SESSION_KEY] == saved.pk

    # The person changes the sidebar filters; the lead list names the saved export and carries it on.
    lead_list = client.get(f"{LEADS}?status=contacted").content.decode()
    assert "You are changing the saved export “Vans”" in lead_list
    assert f"{EXPORT_PAGE}?status=contacted&amp;saved={saved.pk}" in lead_list

    page = client.get(f"{EXPORT_PAGE}?status=contacted&saved={saved.pk}").content.decode()
    assert "Update saved export “Vans”" in page
    crumbs = page.split('class="breadcrumbs"')[1].split("</ol>")[0]
    assert f'<a href="{SAVED}">Saved exports</a>' in crumbs and ">Leads</a>" not in crumbs  # it is an export's page
    assert 'value="title" checked' in page and 'value="price" checked' not in page  # its own columns

    response = client.post(
        f"{EXPORT_PAGE}?status=contacted&saved={saved.pk}",
        {"format": "json", "columns": ["title", "price"], "_update_saved_export": "1"},
    )
    assert response.status_code == 302 and response.url == SAVED
    saved.refresh_from_db()
    assert (saved.filters, saved.columns, saved.format) == ({"status": ["contacted"]}, ["title", "price"], "json")
    assert EDITING_SESSION_KEY not in client.session
    assert not Export.objects.exists()


def test_the_change_page_reads_filters_and_columns_as_sentences(client, sales):
    saved = SavedExportFactory(owner=sales, name="Vans", filters={"status": ["new"]}, columns=["title", "price"])
    content = client.get(reverse("admin:exports_savedexport_change", args=[saved.pk])).content.decode()
    assert "Status: New" in content
    picker = content.split('id="export-columns"')[1].split("</ol>")[0]
    assert picker.index('value="title" checked') < picker.index('value="price" checked')  # the saved order
    assert 'value="location" checked' not in picker
    assert "Edit filters in the lead list" in content
    assert reverse("admin:exports_savedexport_edit", args=[saved.pk]) in content


def test_the_list_filters_name_formats_schedules_and_states_in_words(client, sales):
    SavedExportFactory(owner=sales, name="Daily CSV", format="csv", frequency="daily", run_time=datetime.time(7))
    SavedExportFactory(owner=sales, name="Paused Excel", format="excel", is_active=False)
    content = client.get(SAVED).content.decode()
    sidebar = content.split('id="changelist-filter"')[1]

    for words in ("By format", "CSV</a>", "Excel</a>", "By schedule", "Daily</a>", "By state", "Paused</a>"):
        assert words in sidebar
    assert ">csv</a>" not in sidebar and ">excel</a>" not in sidebar and "is active" not in sidebar

    excel = client.get(SAVED, {"format": "excel"}).context["cl"].result_list
    assert [saved.name for saved in excel] == ["Paused Excel"]
    paused = client.get(SAVED, {"active": "no"}).context["cl"].result_list
    assert [saved.name for saved in paused] == ["Paused Excel"]
    unscheduled = client.get(SAVED, {"frequency__exact": ""}).context["cl"].result_list
    assert [saved.name for saved in unscheduled] == ["Paused Excel"]
