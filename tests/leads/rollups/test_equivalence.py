"""The rollups give the same figures as the full scan of the leads, for random specs after random changes.

Each example starts from a few leads, applies random writes through every kind
of write path (ORM save, bulk_create, QuerySet.update, the status service,
deletions, raw SQL), sometimes reads in between (so refreshes happen midway),
then compares lead_analytics and exportable_data_stats answered from the
rollups with the same selectors answered from the leads.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from leads.analytics.exportable import exportable_data_stats
from leads.analytics.leads import lead_analytics
from leads.analytics.sources import lead_source
from leads.models import Lead, LeadStatus
from leads.selectors import lead_filterset
from leads.services import lead_status_bulk_update
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
STATUSES = LeadStatus.values
# Prices on and around the band bounds, none, and one below the first band.
PRICES = [None, Decimal("0"), Decimal("24.99"), Decimal("25"), Decimal("99.50"), Decimal("100"), Decimal("250")]
PRICES += [Decimal("999.99"), Decimal("1000"), Decimal("4999"), Decimal("50000"), Decimal("123456.78")]

moments = st.builds(
    lambda days, minutes: NOW - datetime.timedelta(days=days, minutes=minutes),
    st.integers(min_value=-2, max_value=45),
    # Minutes near midnight of the site's day and of UTC, where days split.
    st.sampled_from([0, 1, 59, 60 * 7, 60 * 8 - 1, 60 * 8, 60 * 12, 60 * 23 + 59]),
)
prices = st.sampled_from(PRICES)
new_lead = st.fixed_dictionaries(
    {
        "scraped_at": moments,
        "status": st.sampled_from(STATUSES),
        "place": st.integers(min_value=0, max_value=2),
        "category": st.integers(min_value=0, max_value=2),
        "price": prices,
        "email": st.booleans(),
        "phone": st.booleans(),
    }
)
changes = st.one_of(
    st.tuples(st.just("create"), new_lead),
    st.tuples(st.just("bulk_create"), st.lists(new_lead, min_size=1, max_size=4)),
    st.tuples(st.just("status"), st.integers(min_value=0), st.sampled_from(STATUSES)),
    st.tuples(st.just("bulk_status"), st.sampled_from(STATUSES), st.sampled_from(STATUSES)),
    st.tuples(st.just("move"), st.integers(min_value=0), moments, st.integers(min_value=0, max_value=2)),
    st.tuples(st.just("price"), st.integers(min_value=0), prices),
    st.tuples(st.just("contact"), st.integers(min_value=0), st.booleans(), st.booleans()),
    st.tuples(st.just("raw_sql_status"), st.integers(min_value=0), st.sampled_from(STATUSES)),
    st.tuples(st.just("delete"), st.integers(min_value=0)),
    st.tuples(
        st.just("read"),
    ),
)
specs = st.fixed_dictionaries(
    {},
    optional={
        "date_from": st.integers(min_value=-1, max_value=46),
        "date_to": st.integers(min_value=-2, max_value=40),
        "status": st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3, unique=True),
        "location_ids": st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=2, unique=True),
        "categories": st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=2, unique=True),
        "has_email": st.booleans(),
        "has_phone": st.booleans(),
    },
)


@pytest.fixture
def world():
    return {
        "locations": [LocationFactory(site_code=f"site{index}") for index in range(3)],
        "categories": [CategoryFactory(code=f"cat{index}") for index in range(3)],
    }


def _lead(world, values) -> Lead:
    return Lead(
        location=world["locations"][values["place"]],
        category=world["categories"][values["category"]],
        source_post_id=f"p{Lead.objects.count()}-{id(values)}",
        title="A lead",
        scraped_at=values["scraped_at"],
        status=values["status"],
        price=values["price"],
        email="someone@example.com" if values["email"] else "",
        phone="415-555-0100" if values["phone"] else "",
    )


def _pick(index: int) -> Lead | None:
    ids = list(Lead.objects.order_by("pk").values_list("pk", flat=True))
    return Lead.objects.get(pk=ids[index % len(ids)]) if ids else None


def _apply(world, change) -> None:
    kind, *args = change
    if kind == "create":
        _lead(world, args[0]).save()
    elif kind == "bulk_create":
        Lead.objects.bulk_create([_lead(world, values) for values in args[0]])
    elif kind == "bulk_status":
        lead_status_bulk_update(leads=Lead.objects.filter(status=args[0]), status=args[1], user=None)
    elif kind == "read":
        lead_analytics(filters={}, now=NOW)
    elif (lead := _pick(args[0])) is None:
        return
    elif kind == "status":
        lead.status = args[1]
        lead.save()
    elif kind == "move":
        lead.scraped_at, lead.location = args[1], world["locations"][args[2]]
        lead.save()
    elif kind == "price":
        Lead.objects.filter(pk=lead.pk).update(price=args[1])
    elif kind == "contact":
        lead.email, lead.phone = ("a@example.com" if args[1] else ""), ("555-0101" if args[2] else "")
        lead.save(update_fields=["email", "phone"])
    elif kind == "raw_sql_status":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE leads_lead SET status = %s WHERE id = %s", [args[1], lead.pk])
    elif kind == "delete":
        lead.delete()


def _filters(world, spec: dict) -> dict:
    filters = {}
    for name, value in spec.items():
        if name in ("date_from", "date_to"):
            filters[name] = (NOW.date() - datetime.timedelta(days=value)).isoformat()
        elif name == "location_ids":
            filters[name] = [world["locations"][index].pk for index in value]
        elif name == "categories":
            filters[name] = [world["categories"][index].code for index in value]
        else:
            filters[name] = value
    if "date_from" in filters and "date_to" in filters and filters["date_from"] > filters["date_to"]:
        filters["date_from"], filters["date_to"] = filters["date_to"], filters["date_from"]
    return filters


def _both_ways(settings, filters: dict) -> tuple[tuple[dict, dict], tuple[dict, dict]]:
    settings.LEAD_ROLLUPS = True
    assert lead_source(lead_filterset(filters=filters)).uses_rollups
    from_rollups = (lead_analytics(filters=filters, now=NOW), exportable_data_stats(filters=filters))
    settings.LEAD_ROLLUPS = False
    from_leads = (lead_analytics(filters=filters, now=NOW), exportable_data_stats(filters=filters))
    settings.LEAD_ROLLUPS = True
    return from_rollups, from_leads


def _check(world, settings, initial, steps, spec_list) -> None:
    with transaction.atomic():
        Lead.objects.bulk_create([_lead(world, values) for values in initial])
        for change in steps:
            _apply(world, change)
        for spec in spec_list:
            from_rollups, from_leads = _both_ways(settings, _filters(world, spec))
            assert from_rollups == from_leads
        transaction.set_rollback(True)


EXAMPLES = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@EXAMPLES
@given(
    initial=st.lists(new_lead, max_size=12),
    steps=st.lists(changes, max_size=10),
    spec_list=st.lists(specs, min_size=1, max_size=3),
)
def test_rollups_equal_the_full_scan(world, settings, initial, steps, spec_list):
    _check(world, settings, initial, steps, spec_list)


@EXAMPLES
@given(
    initial=st.lists(new_lead, max_size=12),
    steps=st.lists(changes, max_size=6),
    spec_list=st.lists(specs, min_size=1, max_size=2),
)
def test_rollups_equal_the_full_scan_in_a_time_zone_with_summer_time(world, settings, initial, steps, spec_list):
    # Days split at local midnight, and some days have 23 or 25 hours.
    settings.TIME_ZONE = "America/Los_Angeles"
    _check(world, settings, initial, steps, spec_list)


def test_a_lead_at_the_minute_around_local_midnight_counts_on_its_local_day(world, settings):
    settings.TIME_ZONE = "America/Los_Angeles"  # UTC-7 in March
    place, category = world["locations"][0], world["categories"][0]
    for minute in (59, 60):  # 23:59 on the 29th, then 00:00 on the 30th, Los Angeles time
        found = datetime.datetime(2026, 3, 30, 6, 0, tzinfo=datetime.UTC) + datetime.timedelta(minutes=minute)
        LeadFactory(location=place, category=category, scraped_at=found)

    data = lead_analytics(filters={"date_from": "2026-03-30"}, now=NOW)

    assert data["totals"]["leads"] == 1
    assert lead_analytics(filters={"date_to": "2026-03-29"}, now=NOW)["totals"]["leads"] == 1
