"""Saving export specs under a name: validation, permissions and the next scheduled run."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exports.errors import ExportValidationError
from exports.models import SavedExport
from exports.services.saved import saved_export_create, saved_export_update
from tests.exports.factories import UserFactory

SAVER = ["leads.view_lead", "exports.export_leads", "exports.add_savedexport", "exports.change_savedexport"]
SEVEN = datetime.time(7, 0)


@pytest.fixture
def saver(db):
    return UserFactory(username="saver", permissions=SAVER)


def create(user, **overrides) -> SavedExport:
    return saved_export_create(**{"user": user, "name": "New leads", "filters": {}, **overrides})


def test_create_normalizes_the_spec_and_columns_and_keeps_the_owner(saver):
    saved = create(saver, filters={"status": "new,contacted", "has_email": "true"}, columns=["title", "status"])
    saved.refresh_from_db()
    assert saved.owner == saver
    assert saved.filters == {"status": ["new", "contacted"], "has_email": True}
    assert saved.columns == ["title", "status"]
    assert saved.next_run_at is None  # not scheduled


def test_contact_columns_are_dropped_without_contact_info(saver):
    saved = create(saver, columns=["title", "email"], include_contact_info=False)
    assert saved.columns == ["title"]


def test_create_computes_the_next_run_in_the_site_time_zone(saver, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    before = timezone.now()
    saved = create(saver, frequency="daily", run_time=SEVEN)
    assert before < saved.next_run_at <= before + datetime.timedelta(days=1)
    assert timezone.localtime(saved.next_run_at).time() == SEVEN


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Two\nlines"}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"filters": {"status": "lost"}}, "filters"),
        ({"format": "pdf"}, "format"),
        ({"columns": ["title", "shoe_size"]}, "columns"),
        ({"frequency": "weekly", "run_time": SEVEN}, "weekday"),
        ({"frequency": "monthly", "run_time": SEVEN, "day_of_month": 31}, "day_of_month"),
        ({"frequency": "daily"}, "run_time"),
        ({"only_new_since_last_run": True}, "only_new_since_last_run"),
        ({"email_to": "not an address"}, "email_to"),
    ],
)
def test_bad_input_is_a_validation_error_by_field(saver, overrides, field):
    with pytest.raises(ExportValidationError) as raised:
        create(saver, **overrides)
    assert field in raised.value.message_dict
    assert not SavedExport.objects.exists()


def test_a_filter_error_names_the_filter_as_people_know_it(saver):
    with pytest.raises(ExportValidationError) as raised:
        create(saver, filters={"date_from": "soon"})
    assert raised.value.message_dict["filters"][0].startswith("Found on or after: ")


def test_names_are_unique_per_owner(saver):
    create(saver, name="Daily feed")
    with pytest.raises(ExportValidationError) as raised:
        create(saver, name="Daily feed")
    assert "name" in raised.value.message_dict
    other = UserFactory(username="other", permissions=SAVER)
    assert create(other, name="Daily feed").owner == other


def test_e_mail_needs_an_address_when_the_owner_has_none(db):
    user = UserFactory(username="nomail", email="", permissions=SAVER)
    with pytest.raises(ExportValidationError) as raised:
        create(user, frequency="daily", run_time=SEVEN, email_on_completion=True)
    assert "email_to" in raised.value.message_dict
    assert create(user, frequency="daily", run_time=SEVEN, email_on_completion=True, email_to="team@example.com")


@pytest.mark.parametrize("permissions", [["leads.view_lead", "exports.export_leads"], ["exports.add_savedexport"]])
def test_saving_needs_the_add_and_the_export_permission(db, permissions):
    with pytest.raises(PermissionDenied):
        create(UserFactory(username="limited", permissions=permissions))


def test_contact_info_needs_its_permission(saver):
    with pytest.raises(PermissionDenied):
        create(saver, include_contact_info=True)
    manager = UserFactory(username="boss", permissions=[*SAVER, "exports.view_contact_info"])
    saved = create(manager, include_contact_info=True, columns=["title", "email"])
    assert saved.columns == ["title", "email"]


def test_update_of_the_schedule_recomputes_the_next_run(saver, settings):
    settings.TIME_ZONE = "UTC"
    saved = create(saver, frequency="daily", run_time=SEVEN)
    updated = saved_export_update(saved_export=saved, user=saver, run_time=datetime.time(9, 30))
    assert timezone.localtime(updated.next_run_at).time() == datetime.time(9, 30)
    paused = saved_export_update(saved_export=saved, user=saver, is_active=False)
    assert paused.next_run_at is None


def test_update_keeps_unchanged_fields_and_validates_the_result(saver):
    saved = create(saver, filters={"status": "new"}, frequency="weekly", run_time=SEVEN, weekday=2)
    next_run = saved.next_run_at
    updated = saved_export_update(saved_export=saved, user=saver, name="Renamed")
    assert (updated.name, updated.filters, updated.weekday, updated.next_run_at) == (
        "Renamed",
        {"status": ["new"]},
        2,
        next_run,
    )
    with pytest.raises(ExportValidationError) as raised:
        saved_export_update(saved_export=saved, user=saver, weekday=None)
    assert "weekday" in raised.value.message_dict


def test_only_the_owner_or_a_user_who_sees_all_exports_may_update(saver):
    saved = create(saver)
    stranger = UserFactory(username="stranger", permissions=SAVER)
    with pytest.raises(PermissionDenied):
        saved_export_update(saved_export=saved, user=stranger, name="Mine now")
    manager = UserFactory(username="lead", permissions=[*SAVER, "exports.view_all_exports"])
    assert saved_export_update(saved_export=saved, user=manager, name="Checked").name == "Checked"
    assert saved.owner == saver
