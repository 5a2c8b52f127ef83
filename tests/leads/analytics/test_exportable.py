"""exportable_data_stats against figures worked out by hand from the fixture (see conftest.py)."""

import pytest

from leads.analytics.exportable import exportable_data_stats
from leads.rollups import rollups_refresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_source")]


def test_counts_contact_info_and_date_range(leads):
    data = exportable_data_stats(filters={})

    assert data["total_leads"] == 7
    assert data["with_contact_info"] == 6
    assert data["with_email"] == 5
    assert data["with_phone"] == 4
    assert data["date_range"] == {"first_found": "2026-02-20", "last_found": "2026-03-31"}


def test_breakdowns(leads, places):
    data = exportable_data_stats(filters={})

    assert {entry["status"]: entry["count"] for entry in data["by_status"]} == {
        "new": 2,
        "contacted": 1,
        "qualified": 1,
        "converted": 2,
        "rejected": 1,
    }
    assert [(entry["name"], entry["count"]) for entry in data["by_location"]] == [
        ("SF bay area", 4),
        ("New York City", 3),
    ]
    assert [(entry["code"], entry["count"], entry["converted"]) for entry in data["by_category"]] == [
        ("sss", 4, 1),
        ("hhh", 3, 1),
    ]


def test_follows_the_filters(leads):
    data = exportable_data_stats(filters={"has_email": "false"})

    assert data["filters"] == {"has_email": False}
    assert data["total_leads"] == 2  # L3, L4
    assert data["with_contact_info"] == 1  # L3 has a phone
    assert data["date_range"] == {"first_found": "2026-03-25", "last_found": "2026-03-28"}


def test_empty_database():
    data = exportable_data_stats(filters={})
    assert data["total_leads"] == data["with_contact_info"] == 0
    assert data["date_range"] == {"first_found": None, "last_found": None}
    assert all(entry["count"] == 0 and entry["share"] is None for entry in data["by_status"])


def test_three_queries_the_grouped_counts_and_two_name_lookups(leads, settings, django_assert_num_queries):
    # Plus one for the rollups' state when they answer.
    rollups_refresh()
    with django_assert_num_queries(4 if settings.LEAD_ROLLUPS else 3):
        exportable_data_stats(filters={})
