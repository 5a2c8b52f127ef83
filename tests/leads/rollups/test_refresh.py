"""The triggers mark what changed, the refresh recomputes it, the command rebuilds everything."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from leads.demo_data import demo_data_seed
from leads.filters import LeadFilterSet
from leads.models import Lead, LeadDailyRollup, LeadRollupDirty, LeadRollupState, LeadStatus
from leads.rollups import refresh, rollups_current, rollups_refresh
from leads.services import lead_status_bulk_update
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

FOUND = datetime.datetime(2026, 3, 30, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def lead():
    lead = LeadFactory(scraped_at=FOUND, status=LeadStatus.NEW, price=Decimal("30"), email="a@example.com", phone="")
    rollups_refresh()
    return lead


def cells(**filters) -> list[tuple]:
    rows = LeadDailyRollup.objects.filter(**filters).order_by("day", "status")
    return list(
        rows.values_list("day", "status", "has_email", "has_phone", "leads", "priced", "price_sum", "band_1")
    )  # 30 lies in [25, 50)


def test_a_new_lead_is_marked_and_counted_after_a_refresh(lead):
    assert not LeadRollupDirty.objects.exists()
    assert cells() == [(FOUND.date(), "new", True, False, 1, 1, Decimal("30.00"), 1)]


@pytest.mark.parametrize(
    "change",
    [
        lambda lead: Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.QUALIFIED),
        lambda lead: lead_status_bulk_update(leads=Lead.objects.all(), status=LeadStatus.QUALIFIED, user=None),
    ],
)
def test_a_status_change_moves_the_lead_to_its_new_cell(lead, change):
    change(lead)
    assert LeadRollupDirty.objects.filter(utc_day=FOUND.date()).exists()

    rollups_refresh()

    assert cells() == [(FOUND.date(), "qualified", True, False, 1, 1, Decimal("30.00"), 1)]


def test_changing_a_column_the_rollups_do_not_count_marks_nothing(lead):
    Lead.objects.filter(pk=lead.pk).update(title="A new title", description="Other words")
    assert not LeadRollupDirty.objects.exists()


def test_moving_a_lead_to_another_day_marks_both_days(lead):
    Lead.objects.filter(pk=lead.pk).update(scraped_at=FOUND - datetime.timedelta(days=3))
    assert set(LeadRollupDirty.objects.values_list("utc_day", flat=True)) == {
        FOUND.date(),
        FOUND.date() - datetime.timedelta(days=3),
    }
    rollups_refresh()
    assert [row[0] for row in cells()] == [FOUND.date() - datetime.timedelta(days=3)]


def test_deleting_the_last_lead_of_a_cell_removes_the_cell(lead):
    lead.delete()
    rollups_refresh()
    assert cells() == []


def test_raw_sql_writes_are_marked_too(lead):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE leads_lead SET price = NULL WHERE id = %s", [lead.pk])
    rollups_refresh()
    assert cells() == [(FOUND.date(), "new", True, False, 1, 0, None, 0)]


def test_many_changed_keys_rebuild_everything(lead, monkeypatch):
    monkeypatch.setattr(refresh, "FULL_REBUILD_FROM", 2)
    place, category = LocationFactory(), CategoryFactory()
    for days in range(3):
        LeadFactory(location=place, category=category, scraped_at=FOUND - datetime.timedelta(days=days))

    result = rollups_refresh()

    assert result.rebuilt
    assert LeadDailyRollup.objects.aggregate(leads=Sum("leads"))["leads"] == 4


def test_a_changed_time_zone_rebuilds_the_rollups(lead, settings):
    late = LeadFactory(scraped_at=datetime.datetime(2026, 3, 30, 3, 0, tzinfo=datetime.UTC))  # 29th in LA
    rollups_refresh()
    settings.TIME_ZONE = "America/Los_Angeles"

    assert rollups_current()

    assert LeadRollupState.objects.get().time_zone == "America/Los_Angeles"
    assert LeadDailyRollup.objects.get(location=late.location).day == datetime.date(2026, 3, 29)


def test_nothing_to_refresh_is_one_query(lead, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert rollups_current()


def test_the_command_rebuilds_and_reports(lead):
    LeadDailyRollup.objects.all().delete()  # rollups lost: only a rebuild brings them back
    out = StringIO()

    call_command("rebuild_rollups", stdout=out)

    assert "Rebuilt the lead rollups: 1 cells" in out.getvalue()
    assert len(cells()) == 1


def test_the_command_refreshes_only_what_changed(lead):
    LeadFactory(scraped_at=FOUND)
    out = StringIO()

    call_command("rebuild_rollups", "--changed", stdout=out)

    assert "Refreshed 1 changed day(s) of the lead rollups" in out.getvalue()


def test_the_command_says_why_it_cannot_run_elsewhere(monkeypatch):
    monkeypatch.setattr("leads.management.commands.rebuild_rollups.rollups_supported", lambda: False)
    with pytest.raises(CommandError, match="Rollups need PostgreSQL or SQLite"):
        call_command("rebuild_rollups")


def test_the_demo_seed_leaves_the_rollups_current():
    demo_data_seed(leads=300, runs=5)
    assert not LeadRollupDirty.objects.exists()
    assert LeadDailyRollup.objects.aggregate(leads=Sum("leads"))["leads"] == 300


@pytest.mark.parametrize(
    ("filters", "answerable"),
    [
        ({}, True),
        ({"date_from": "2026-03-01", "date_to": "2026-03-31", "status": "new"}, True),
        ({"location_names": "sfbay", "categories": "sss", "has_email": "true", "has_phone": "false"}, True),
        ({"keywords": "bike"}, False),
        ({"exclude_keywords": "bike"}, False),
        ({"min_price": "10"}, False),
        ({"max_price": "10"}, False),
        ({"q": "bike"}, False),
        ({"ids": "1,2"}, False),
        ({"limit": "5"}, False),
        ({"found_after": "2026-03-01T00:00:00Z"}, False),
        ({"status": "new", "keywords": "bike"}, False),
    ],
)
def test_which_specs_the_rollups_answer(filters, answerable):
    assert LeadFilterSet(data=filters, queryset=Lead.objects.all()).answerable_by_rollups() is answerable
