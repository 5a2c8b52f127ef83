"""lead_analytics against figures worked out by hand from the fixture (see conftest.py)."""

import datetime
import json

import pytest

from leads.analytics.leads import lead_analytics
from leads.models import Lead, LeadRollupDirty
from leads.rollups import rollups_refresh
from leads.selectors import LeadFilterError
from tests.factories import LeadFactory
from tests.leads.analytics.conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_source")]


def analytics(filters=None, **kwargs):
    return lead_analytics(filters=filters or {}, now=NOW, **kwargs)


def by_key(entries, key="status"):
    return {entry[key]: entry for entry in entries}


def test_totals_and_recency_windows(leads):
    data = analytics()

    assert data["totals"] == {
        "leads": 7,
        "new_last_1_day": 1,  # only L1 is within 24 h; L2 (03-30 09:00) is 27 h old
        "new_last_7_days": 4,  # L1-L4
        "new_last_30_days": 6,  # all but L7
        "converted": 2,
        "conversion_rate": 0.2857,
    }
    assert data["date_range"] == {"first_found": "2026-02-20", "last_found": "2026-03-31"}
    assert data["as_of"] == NOW.isoformat()


def test_status_counts_and_shares(leads):
    statuses = analytics()["by_status"]

    assert [entry["status"] for entry in statuses] == ["new", "contacted", "qualified", "converted", "rejected"]
    assert {entry["status"]: entry["count"] for entry in statuses} == {
        "new": 2,
        "contacted": 1,
        "qualified": 1,
        "converted": 2,
        "rejected": 1,
    }
    assert by_key(statuses)["new"]["share"] == 0.2857
    assert by_key(statuses)["rejected"]["share"] == 0.1429


def test_funnel_counts_leads_at_a_stage_or_later_and_its_rates(leads):
    funnel = analytics()["funnel"]

    assert [(stage["status"], stage["count"], stage["reached"]) for stage in funnel] == [
        ("new", 2, 6),  # rejected L6 is out of the funnel
        ("contacted", 1, 4),
        ("qualified", 1, 3),
        ("converted", 2, 2),
    ]
    assert [stage["rate_from_previous"] for stage in funnel] == [1.0, 0.6667, 0.75, 0.6667]
    assert [stage["rate_from_start"] for stage in funnel] == [1.0, 0.6667, 0.5, 0.3333]


def test_by_location_and_category_with_conversion(leads, places):
    data = analytics()

    assert data["by_location"] == [
        {
            "id": places["sf"].pk,
            "name": "SF bay area",
            "site_code": "sfbay",
            "count": 4,
            "share": 0.5714,
            "converted": 0,
            "conversion_rate": 0.0,
        },
        {
            "id": places["ny"].pk,
            "name": "New York City",
            "site_code": "newyork",
            "count": 3,
            "share": 0.4286,
            "converted": 2,
            "conversion_rate": 0.6667,
        },
    ]
    categories = by_key(data["by_category"], "code")
    assert (categories["sss"]["count"], categories["sss"]["converted"], categories["sss"]["conversion_rate"]) == (
        4,
        1,
        0.25,
    )
    assert (categories["hhh"]["count"], categories["hhh"]["converted"], categories["hhh"]["conversion_rate"]) == (
        3,
        1,
        0.3333,
    )
    assert [entry["code"] for entry in data["by_category"]] == ["sss", "hhh"]  # largest first


def test_top_by_conversion_ranks_by_rate_among_large_enough_groups(leads):
    data = analytics(top_min_leads=1)
    assert [entry["name"] for entry in data["top_locations_by_conversion"]] == ["New York City", "SF bay area"]
    assert [entry["code"] for entry in data["top_categories_by_conversion"]] == ["hhh", "sss"]

    floor = analytics(top_min_leads=4)
    assert [entry["name"] for entry in floor["top_locations_by_conversion"]] == ["SF bay area"]
    assert [entry["code"] for entry in floor["top_categories_by_conversion"]] == ["sss"]

    assert len(analytics(top_min_leads=1, top_limit=1)["top_locations_by_conversion"]) == 1


def test_contact_availability(leads):
    assert analytics()["contact"] == {
        "with_email": 5,  # L1 L2 L5 L6 L7
        "with_phone": 4,  # L1 L3 L5 L7
        "with_both": 3,
        "email_only": 2,
        "phone_only": 1,
        "with_neither": 1,  # L4
        "with_any": 6,
        "any_rate": 0.8571,
    }


def test_price_statistics_with_an_even_count(leads):
    # Prices 10, 20, 30, 40, 55.50, 1000 (L5 has none): median (30 + 40) / 2.
    assert analytics()["price"] == {
        "count": 6,
        "without_price": 1,
        "min": "10.00",
        "average": "192.58",  # 1155.50 / 6 = 192.583...
        "median": "35.00",
        "max": "1000.00",
    }


def test_price_median_with_an_odd_count(leads):
    # Leads with a phone: L1 10, L3 30, L5 none, L7 40.
    price = analytics({"has_phone": "true"})["price"]
    assert (price["count"], price["median"], price["average"]) == (3, "30.00", "26.67")


def test_price_median_of_cents_rounds_half_up(leads):
    # Two priced leads 0.01 apart: the median falls on half a cent.
    LeadFactory(title="cheap-a", price="1.00", scraped_at=NOW)
    LeadFactory(title="cheap-b", price="1.01", scraped_at=NOW)
    assert analytics({"max_price": "2"})["price"]["median"] == "1.01"


def test_price_distribution_buckets(leads):
    buckets = analytics()["price_distribution"]

    assert buckets[0] == {"min": "0.00", "max": "25.00", "count": 2}  # 10, 20
    assert buckets[1] == {"min": "25.00", "max": "50.00", "count": 2}  # 30, 40
    assert buckets[2] == {"min": "50.00", "max": "100.00", "count": 1}  # 55.50
    assert {"min": "1000.00", "max": "2500.00", "count": 1} in buckets  # 1000: lower bounds are inclusive
    assert buckets[-1] == {"min": "50000.00", "max": None, "count": 0}
    assert sum(bucket["count"] for bucket in buckets) == 6


def test_leads_per_day_with_converted_and_no_gaps(leads):
    series = analytics()["over_time"]

    assert series["granularity"] == "day"
    buckets = series["buckets"]
    assert len(buckets) == 40  # 2026-02-20 to 2026-03-31
    assert buckets[0] == {"start": "2026-02-20", "end": "2026-02-20", "count": 1, "converted": 0}
    days = {bucket["start"]: bucket for bucket in buckets}
    assert days["2026-03-25"] == {"start": "2026-03-25", "end": "2026-03-25", "count": 1, "converted": 1}
    assert days["2026-02-21"]["count"] == 0
    assert sum(bucket["count"] for bucket in buckets) == 7
    assert sum(bucket["converted"] for bucket in buckets) == 2


def test_long_ranges_are_counted_per_week_starting_monday(places):
    LeadFactory(title="a", scraped_at=datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.UTC))  # a Wednesday
    LeadFactory(title="b", scraped_at=datetime.datetime(2025, 1, 5, 23, tzinfo=datetime.UTC), status="converted")
    LeadFactory(title="c", scraped_at=datetime.datetime(2025, 1, 6, 0, tzinfo=datetime.UTC))  # next Monday
    LeadFactory(title="d", scraped_at=datetime.datetime(2025, 6, 30, 12, tzinfo=datetime.UTC))

    series = analytics()["over_time"]

    assert series["granularity"] == "week"
    buckets = series["buckets"]
    assert buckets[0] == {"start": "2024-12-30", "end": "2025-01-05", "count": 2, "converted": 1}
    assert buckets[1] == {"start": "2025-01-06", "end": "2025-01-12", "count": 1, "converted": 0}
    assert buckets[-1] == {"start": "2025-06-30", "end": "2025-07-06", "count": 1, "converted": 0}
    assert len(buckets) == 27


def test_very_long_ranges_are_counted_per_month(places):
    LeadFactory(title="a", scraped_at=datetime.datetime(2020, 1, 31, 12, tzinfo=datetime.UTC))
    LeadFactory(title="b", scraped_at=datetime.datetime(2024, 2, 29, 12, tzinfo=datetime.UTC))

    series = analytics()["over_time"]

    assert series["granularity"] == "month"
    assert series["buckets"][0] == {"start": "2020-01-01", "end": "2020-01-31", "count": 1, "converted": 0}
    assert series["buckets"][-1] == {"start": "2024-02-01", "end": "2024-02-29", "count": 1, "converted": 0}
    assert len(series["buckets"]) == 50


def test_days_are_the_site_time_zone(settings, places):
    settings.TIME_ZONE = "America/New_York"
    # 03:00 UTC on March 2 is still March 1 in New York.
    LeadFactory(title="late", scraped_at=datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC))
    LeadFactory(title="next", scraped_at=datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC))

    data = analytics()

    assert [(bucket["start"], bucket["count"]) for bucket in data["over_time"]["buckets"]] == [
        ("2026-03-01", 1),
        ("2026-03-02", 1),
    ]
    assert data["date_range"] == {"first_found": "2026-03-01", "last_found": "2026-03-02"}
    assert analytics({"date_to": "2026-03-01"})["totals"]["leads"] == 1


def test_filters_narrow_every_figure(leads):
    data = analytics({"location_names": ["newyork"], "status": "converted,rejected"})

    assert data["filters"] == {"status": ["converted", "rejected"], "location_names": ["newyork"]}
    assert data["totals"]["leads"] == 3
    assert data["totals"]["converted"] == 2
    assert [entry["name"] for entry in data["by_location"]] == ["New York City"]
    assert data["contact"]["with_neither"] == 1
    assert data["price"] == {
        "count": 2,
        "without_price": 1,
        "min": "55.50",
        "average": "527.75",
        "median": "527.75",
        "max": "1000.00",
    }
    assert data["over_time"]["buckets"][0]["start"] == "2026-03-10"


def test_the_limit_filter_counts_only_the_newest_leads(leads):
    data = analytics({"limit": 2})
    assert data["totals"]["leads"] == 2
    assert data["date_range"] == {"first_found": "2026-03-30", "last_found": "2026-03-31"}


def test_empty_database_gives_zeros_and_nulls():
    data = analytics()

    assert data["totals"] == {
        "leads": 0,
        "new_last_1_day": 0,
        "new_last_7_days": 0,
        "new_last_30_days": 0,
        "converted": 0,
        "conversion_rate": None,
    }
    assert data["date_range"] == {"first_found": None, "last_found": None}
    assert data["price"] == {
        "count": 0,
        "without_price": 0,
        "min": None,
        "average": None,
        "median": None,
        "max": None,
    }
    assert data["over_time"] == {"granularity": "day", "buckets": []}
    assert data["by_location"] == data["by_category"] == []
    assert all(stage["reached"] == 0 and stage["rate_from_start"] is None for stage in data["funnel"])
    assert data["contact"]["any_rate"] is None


def test_result_is_json_safe(leads):
    data = analytics()
    assert json.loads(json.dumps(data)) == data


def test_invalid_filters_raise_with_field_messages():
    with pytest.raises(LeadFilterError) as error:
        lead_analytics(filters={"date_from": "yesterday", "min_price": "-1"})
    assert set(error.value.message_dict) == {"date_from", "min_price"}


@pytest.mark.parametrize(
    ("filters", "most"),
    [
        # From the rollups: their state, the grouped figures, location and category names, the
        # windows' partial first days (one range query per window: 1, 7 and 30 days), the days,
        # the median's one or two bands.
        ({}, 10),
        # From the leads: the grouped figures, location and category names, the median by offset, the time buckets.
        ({"keywords": "Lead"}, 5),
    ],
)
def test_query_count_does_not_grow_with_the_data(leads, filters, most, django_assert_max_num_queries):
    rollups_refresh()
    with django_assert_max_num_queries(most):
        analytics(filters)
    LeadFactory.create_batch(20)
    rollups_refresh()
    with django_assert_max_num_queries(most):
        analytics(filters)


def test_a_read_after_changes_refreshes_the_rollups_first(leads, places, settings):
    before = analytics()["totals"]["leads"]
    LeadFactory(location=places["sf"], category=places["sss"], scraped_at=NOW)
    Lead.objects.filter(title="L7").delete()

    data = analytics()

    assert data["totals"]["leads"] == before  # one added, one deleted
    assert data["date_range"]["first_found"] == "2026-03-10"  # L7 (02-20) is gone
    # Answering from the rollups refreshed them; answering from the leads left the marks for later.
    assert LeadRollupDirty.objects.exists() is not settings.LEAD_ROLLUPS
