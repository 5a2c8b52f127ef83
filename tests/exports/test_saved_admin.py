"""The saved-exports admin: own rows only, schedule validation through the form, and "Run now"."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS
from exports.models import Export, ExportSource, ExportStatus, SavedExport
from exports.services.saved import saved_export_create
from tests.exports.factories import SavedExportFactory, UserFactory
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

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
CONTACT_KEYS = {column.key for column in LEAD_COLUMNS if column.is_contact}


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
        "filters-status": ["new"],
        "filters-has_email": "true",
        "data_type": "leads",
        "format": "csv",
        "columns": ["title", "status", "price"],
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


def test_the_filters_are_chosen_with_the_sidebar_controls_and_read_by_the_filterset(client, staff):
    LocationFactory(name="Oakland", site_code="oak")
    sf = LocationFactory(name="SF Bay Area", site_code="sfbay")
    CategoryFactory(code="bia", name="Bikes")
    client.force_login(staff)
    response = client.post(
        reverse(ADD),
        form_data(
            **{
                "filters-status": ["new", "contacted"],
                "filters-location_ids": [str(sf.pk)],
                "filters-categories": ["bia"],
                "filters-date_from": "2026-11-01",
                "filters-min_price": "50",
                "filters-keywords": "oak, vintage",
                "filters-assigned_to": "me",
                "filters-q": "chair",
            }
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SavedExport.objects.get().filters == {
        "date_from": "2026-11-01",
        "status": ["new", "contacted"],
        "location_ids": [sf.pk],
        "categories": ["bia"],
        "min_price": "50",
        "has_email": True,
        "keywords": ["oak", "vintage"],
        "q": "chair",
        "assigned_to": staff.pk,  # "Me" is the owner
    }


def test_a_lead_list_address_prefills_the_sidebar_controls(client, staff):
    LocationFactory(name="SF Bay Area", site_code="sfbay")
    client.force_login(staff)
    url = "http://127.0.0.1:8000/admin/leads/lead/?status=contacted&min_price=10&location_names=sfbay"
    content = client.get(reverse(ADD), {"filters": url}).content.decode()

    assert 'name="filters-status" value="contacted" checked' in content
    assert 'name="filters-status" value="new" checked' not in content
    assert 'name="filters-min_price" value="10"' in content
    # Location names have no sidebar control of their own: kept, listed in words, untickable.
    assert 'name="filters-keep" value="location_names" checked' in content
    assert "Location names or site codes: sfbay" in content
    assert 'name="filters-other" value="location_names=sfbay"' in content


def test_the_raw_query_string_and_column_keys_are_gone(client, staff):
    client.force_login(staff)
    content = client.get(reverse(ADD)).content.decode()
    assert "filters_query" not in content and "columns_text" not in content
    assert "comma-separated" not in content
    assert 'id="export-columns"' in content  # the export page's picker
    assert "By status" in content and "By location" in content and "By date found" in content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"frequency": "weekly"}, "weekday"),
        ({"frequency": "monthly", "day_of_month": "29"}, "day_of_month"),
        ({"run_time": ""}, "run_time"),
        ({"filters-status": "lost"}, "filters"),
        ({"filters-min_price": "20", "filters-max_price": "10"}, "filters"),
        ({"columns": ["title", "shoe_size"]}, "columns"),
        ({"columns": []}, "columns"),
        ({"frequency": "", "only_new_since_last_run": "on"}, "only_new_since_last_run"),
    ],
)
def test_bad_input_is_shown_on_the_form(client, staff, overrides, field):
    client.force_login(staff)
    response = client.post(reverse(ADD), form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not SavedExport.objects.exists()


def test_contact_info_is_offered_only_with_its_permission(client, staff, manager):
    client.force_login(staff)
    assert "include_contact_info" not in client.get(reverse(ADD)).context["adminform"].form.fields
    client.force_login(manager)
    assert "include_contact_info" in client.get(reverse(ADD)).context["adminform"].form.fields


def test_change_shows_the_spec_with_the_sidebar_controls_and_reschedules(client, staff):
    saved = saved_export_create(
        user=staff, name="Feed", filters={"status": "new"}, frequency="daily", run_time=datetime.time(7)
    )
    client.force_login(staff)
    url = reverse("admin:exports_savedexport_change", args=[saved.pk])
    content = client.get(url).content.decode()
    assert 'name="filters-status" value="new" checked' in content
    assert 'name="filters-status" value="contacted" checked' not in content

    response = client.post(url, form_data(name="Feed", run_time="09:15", **{"filters-has_email": ""}))

    assert response.status_code == 302
    saved.refresh_from_db()
    assert timezone.localtime(saved.next_run_at).time() == datetime.time(9, 15)
    assert saved.owner == staff
    assert saved.filters == {"status": ["new"]}


def test_the_default_columns_stay_the_default_unless_changed(client, staff):
    saved = saved_export_create(user=staff, name="Feed", filters={})
    assert saved.columns == []
    client.force_login(staff)
    url = reverse("admin:exports_savedexport_change", args=[saved.pk])
    shown = client.get(url).context["adminform"].form["columns"].value()
    assert shown == [key for key in DEFAULT_COLUMN_KEYS if key not in CONTACT_KEYS]

    assert client.post(url, form_data(name="Feed", columns=shown, frequency="")).status_code == 302
    saved.refresh_from_db()
    assert saved.columns == []  # still "the default columns, whatever they are when it runs"

    client.post(url, form_data(name="Feed", columns=["price", "title"], frequency=""))
    saved.refresh_from_db()
    assert saved.columns == ["price", "title"]  # the picker's order


def test_contact_columns_ticked_without_contact_info_are_not_saved(client, manager):
    client.force_login(manager)
    client.post(reverse(ADD), form_data(columns=["title", "email"]))
    assert SavedExport.objects.get().columns == ["title"]
    client.post(reverse(ADD), form_data(name="With contacts", columns=["title", "email"], include_contact_info="on"))
    assert SavedExport.objects.get(name="With contacts").columns == ["title", "email"]


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


def test_a_filter_mistake_names_the_field_as_the_sidebar_does(client, staff):
    client.force_login(staff)
    response = client.post(reverse(ADD), form_data(**{"filters-min_price": "20", "filters-max_price": "10"}))
    assert response.context["adminform"].form.errors["filters"] == [
        "Maximum price: The maximum price must be at least the minimum price."
    ]
    assert 'name="filters-min_price" value="20"' in response.text  # shown back as typed, to correct it


def test_every_mistake_is_shown_at_once(client, staff):
    client.force_login(staff)
    response = client.post(reverse(ADD), form_data(name="", frequency="weekly"))
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"name", "weekday"}
    assert errors["name"] == ["This field is required."]
