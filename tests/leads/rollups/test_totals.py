"""The total rollups: the daily cells summed over their days, kept equal to them by every refresh."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Max, Min, Sum
from django.test.utils import CaptureQueriesContext

from leads.analytics.leads import lead_analytics
from leads.models import Lead, LeadDailyRollup, LeadStatus, LeadTotalRollup
from leads.rollups import rollups_refresh
from leads.rollups.totals import KEYS
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

FOUND = datetime.datetime(2026, 3, 30, 12, 0, tzinfo=datetime.UTC)


def _daily_summed() -> dict:
    rows = LeadDailyRollup.objects.values(*KEYS).annotate(
        n=Sum("leads"), priced_n=Sum("priced"), total=Sum("price_sum"), low=Min("price_min"), first=Min("day")
    )
    return {tuple(row[key] for key in KEYS): (row["n"], row["priced_n"], row["total"], row["low"], row["first"])
            for row in rows}  # fmt: skip


def _totals() -> dict:
    rows = LeadTotalRollup.objects.values_list(*KEYS, "leads", "priced", "price_sum", "price_min", "first_day")
    return {tuple(row[: len(KEYS)]): tuple(row[len(KEYS) :]) for row in rows}


def test_the_totals_follow_every_refresh():
    places = [LocationFactory(site_code=f"t{index}") for index in range(2)]
    kinds = [CategoryFactory(code=f"k{index}") for index in range(2)]
    for day in range(6):
        LeadFactory(
            location=places[day % 2],
            category=kinds[day // 3],
            scraped_at=FOUND - datetime.timedelta(days=day),
            price=Decimal(10 * day) if day else None,
            email="a@example.com" if day % 3 else "",
        )
    rollups_refresh(rebuild=True)
    assert _totals() == _daily_summed() and _totals()

    moved = Lead.objects.order_by("pk").first()
    moved.status, moved.location = LeadStatus.CONVERTED, places[1]
    moved.save()
    Lead.objects.order_by("pk").last().delete()
    rollups_refresh()

    assert _totals() == _daily_summed()
    assert LeadTotalRollup.objects.aggregate(leads=Sum("leads"))["leads"] == Lead.objects.count() == 5


def test_a_spec_without_dates_reads_the_totals_not_every_day():
    place, kind = LocationFactory(site_code="t0"), CategoryFactory(code="k0")
    for day in range(40):
        LeadFactory(location=place, category=kind, scraped_at=FOUND - datetime.timedelta(days=day))
    rollups_refresh()
    with CaptureQueriesContext(connection) as queries:
        figures = lead_analytics(filters={"status": "new"}, now=FOUND)
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"] and "rollup" in q["sql"]]
    # The groups from the totals (one row per cell), only the chart's per-day figures from the daily cells.
    assert any("leads_leadtotalrollup" in sql for sql in grouped)
    assert figures["totals"]["leads"] == 40
    assert figures["date_range"]["first_found"] == (FOUND - datetime.timedelta(days=39)).date().isoformat()
    assert LeadDailyRollup.objects.aggregate(last=Max("day"))["last"] == FOUND.date()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_truncating_the_leads_empties_the_totals():
    LeadFactory(scraped_at=FOUND)
    rollups_refresh()
    assert LeadTotalRollup.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending deferred checks
        cursor.execute("TRUNCATE leads_lead CASCADE")
    assert not LeadTotalRollup.objects.exists()
