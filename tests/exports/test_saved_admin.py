"""The saved-exports admin: own rows only, schedule validation through the form, and "Run now"."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from exports.models import Export, ExportSource, ExportStatus, SavedExport
from exports.services.saved import saved_export_create
from tests.exports.factories import SavedExportFactory, UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

SAVED = [
    "leads.view_lead",
    "exports.export_leads",
    "exports.add_savedexport",
    "exports.change_savedexport",
    "exports.view_savedexport",
    "exports.delete_savedexport",
]
CHANGELIST = "admin:exports_savedexport_changelist"
ADD = "admin:exports_savedexport_add"


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", permissions=SAVED)


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", permissions=SAVED)


@pytest.fixture
def manager(db):
    return UserFactory(
        username="manager", permissions=[*SAVED, "exports.view_all_exports", "exports.view_contact_info"]
    )


def form_data(**overrides) -> dict:
    data = {
        "name": "Morning feed",
        "filters_query": "status=new&has_email=true",
        "data_type": "leads",
        "format": "csv",
        "columns_text": "title, status, price",
        "frequency": "daily",
        "run_time": "07:00",
        "weekday": "",
        "day_of_month": "",
        "email_to": "",
        "is_active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_changelist_shows_own_saved_exports_with_their_schedule(client, staff, colleague):
    saved_export_create(user=staff, name="Mine", filters={}, frequency="weekly", run_time=datetime.time(7), weekday=0)
    SavedExportFactory(owner=colleague, name="Theirs")
    client.force_login(staff)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert [saved.name for saved in response.context["cl"].result_list] == ["Mine"]
    assert "Weekly on Monday at 07:00" in response.text
    assert "Theirs" not in response.text


def test_view_all_shows_everyones(client, staff, colleague, manager):
    SavedExportFactory(owner=staff, name="A")
    SavedExportFactory(owner=colleague, name="B")
    client.force_login(manager)
    response = client.get(reverse(CHANGELIST))
    assert {saved.name for saved in response.context["cl"].result_list} == {"A", "B"}


def test_someone_elses_saved_export_cannot_be_opened(client, staff, colleague):
    theirs = SavedExportFactory(owner=colleague)
    client.force_login(staff)
    response = client.get(reverse("admin:exports_savedexport_change", args=[theirs.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response.url == reverse("admin:index")


def test_add_saves_a_normalized_spec_and_computes_the_next_run(client, staff):
    client.force_login(staff)
    response = client.post(reverse(ADD), form_data(csv_bom="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = SavedExport.objects.get()
    assert saved.owner == staff
    assert saved.filters == {"status": ["new"], "has_email": True}
    assert saved.columns == ["title", "status", "price"]
    assert saved.options == {"csv_bom": True}
    assert saved.next_run_at > timezone.now()
    assert timezone.localtime(saved.next_run_at).time() == datetime.time(7, 0)


def test_a_whole_lead_list_url_is_accepted_as_the_filters(client, staff):
    client.force_login(staff)
    url = "http://127.0.0.1:8000/admin/leads/lead/?status=contacted&min_price=10"
    client.post(reverse(ADD), form_data(filters_query=url))
    assert SavedExport.objects.get().filters == {"status": ["contacted"], "min_price": "10"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"frequency": "weekly"}, "weekday"),
        ({"frequency": "monthly", "day_of_month": "29"}, "day_of_month"),
        ({"run_time": ""}, "run_time"),
        ({"filters_query": "status=lost"}, "filters_query"),
        ({"columns_text": "title, shoe_size"}, "columns_text"),
        ({"frequency": "", "only_new_since_last_run": "on"}, "only_new_since_last_run"),
    ],
)
def test_bad_input_is_shown_on_the_form(client, staff, overrides, field):
    client.force_login(staff)
    response = client.post(reverse(ADD), form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not SavedExport.objects.exists()


def test_a_save_these_filters_link_prefills_the_form(client, staff):
    client.force_login(staff)
    response = client.get(reverse(ADD), {"filters": "status=new&location_names=sfbay"})
    assert response.context["adminform"].form["filters_query"].value() == "status=new&location_names=sfbay"


def test_contact_info_is_offered_only_with_its_permission(client, staff, manager):
    client.force_login(staff)
    assert "include_contact_info" not in client.get(reverse(ADD)).context["adminform"].form.fields
    client.force_login(manager)
    assert "include_contact_info" in client.get(reverse(ADD)).context["adminform"].form.fields


def test_change_shows_the_spec_as_a_query_string_and_reschedules(client, staff):
    saved = saved_export_create(
        user=staff, name="Feed", filters={"status": "new"}, frequency="daily", run_time=datetime.time(7)
    )
    client.force_login(staff)
    url = reverse("admin:exports_savedexport_change", args=[saved.pk])
    assert client.get(url).context["adminform"].form["filters_query"].value() == "status=new"

    response = client.post(url, form_data(name="Feed", filters_query="status=new", run_time="09:15"))

    assert response.status_code == 302
    saved.refresh_from_db()
    assert timezone.localtime(saved.next_run_at).time() == datetime.time(9, 15)
    assert saved.owner == staff


def test_run_now_action_exports_and_links_the_download(client, staff):
    LeadFactory(status="new", email="a@example.com")
    saved = saved_export_create(user=staff, name="Feed", filters={"status": "new"})
    client.force_login(staff)

    response = client.post(reverse(CHANGELIST), {"action": "run_now", "_selected_action": [saved.pk]}, follow=True)

    export = Export.objects.get(saved_export=saved)
    assert (export.status, export.source, export.created_by) == (ExportStatus.COMPLETED, ExportSource.ADMIN, staff)
    [message] = list(get_messages(response.wsgi_request))
    assert "Feed: 1 rows exported." in message.message
    assert reverse("exports:download", args=[export.pk]) in message.message


def test_run_now_reports_a_refusal_as_an_error_message(client, staff, settings):
    settings.EXPORT_MAX_RECORDS = 1
    LeadFactory.create_batch(2)
    saved = saved_export_create(user=staff, name="Everything", filters={})
    client.force_login(staff)

    response = client.post(reverse(CHANGELIST), {"action": "run_now", "_selected_action": [saved.pk]}, follow=True)

    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error"
    assert "over the limit of 1" in message.message
    assert not Export.objects.exists()


def test_run_now_is_not_offered_without_the_export_permission(client, db):
    viewer = UserFactory(username="viewer", permissions=["exports.view_savedexport"])
    SavedExportFactory(owner=viewer)
    client.force_login(viewer)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "run_now" not in response.text


def test_every_mistake_is_shown_at_once(client, staff):
    client.force_login(staff)
    response = client.post(reverse(ADD), form_data(name="", frequency="weekly"))
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"name", "weekday"}
    assert errors["name"] == ["This field is required."]
