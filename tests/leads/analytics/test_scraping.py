"""scraping_analytics against figures worked out by hand from the fixture (see conftest.py)."""

import json

import pytest

from leads.analytics.scraping import scraping_analytics
from leads.selectors import LeadFilterError
from tests.factories import ScrapeRunFactory

pytestmark = pytest.mark.django_db


def test_run_counts_and_rates(runs):
    data = scraping_analytics(filters={})

    assert data["runs"] == {
        "total": 5,
        "success": 1,
        "partial": 1,
        "failed": 2,
        "running": 1,
        "finished": 4,
        "success_rate": 0.25,
        "partial_rate": 0.25,
        "failure_rate": 0.5,
    }
    assert data["date_range"] == {"first_run": "2026-02-01", "last_run": "2026-03-30"}
    assert data["applied_filters"] == []


def test_durations_leave_out_runs_still_running(runs):
    duration = scraping_analytics(filters={})["duration"]

    assert duration["average_seconds"] == 127.5  # (60 + 120 + 300 + 30) / 4
    assert duration["slowest_seconds"] == 300.0
    assert duration["slowest_run"] == {
        "id": runs["R3"].pk,
        "location": "New York City",
        "category": "for sale",
        "started_at": "2026-03-28T10:00:00+00:00",
        "seconds": 300.0,
    }


def test_leads_found_per_run_and_new_versus_duplicate(runs):
    assert scraping_analytics(filters={})["leads"] == {
        "found": 65,
        "new": 45,
        "duplicate": 20,
        "found_per_run": 13.0,
        "new_share": 0.6923,
        "duplicate_share": 0.3077,
        "reposts": 0,
    }


def test_per_location(runs, places):
    assert scraping_analytics(filters={})["by_location"] == [
        {
            "id": places["sf"].pk,
            "name": "SF bay area",
            "site_code": "sfbay",
            "runs": 3,
            "success": 1,
            "partial": 1,
            "failed": 1,
            "success_rate": 0.3333,
            "leads_found": 60,
            "leads_new": 40,
            "reposts": 0,
        },
        {
            "id": places["ny"].pk,
            "name": "New York City",
            "site_code": "newyork",
            "runs": 2,
            "success": 0,
            "partial": 0,
            "failed": 1,
            "success_rate": 0.0,  # the running run is not finished
            "leads_found": 5,
            "leads_new": 5,
            "reposts": 0,
        },
    ]


def test_latest_failures_newest_first_with_their_error(runs):
    failures = scraping_analytics(filters={})["latest_failures"]

    assert [(failure["id"], failure["error"]) for failure in failures] == [
        (runs["R3"].pk, "HTTP 403"),
        (runs["R5"].pk, "Timed out"),
    ]
    assert failures[0] == {
        "id": runs["R3"].pk,
        "location": "New York City",
        "category": "for sale",
        "started_at": "2026-03-28T10:00:00+00:00",
        "finished_at": "2026-03-28T10:05:00+00:00",
        "pages_fetched": 5,
        "error": "HTTP 403",
    }


def test_runs_per_day(runs):
    series = scraping_analytics(filters={})["over_time"]

    assert series["granularity"] == "day"
    assert len(series["buckets"]) == 58  # 2026-02-01 to 2026-03-30
    days = {bucket["start"]: bucket for bucket in series["buckets"]}
    assert days["2026-03-28"] == {
        "start": "2026-03-28",
        "end": "2026-03-28",
        "runs": 1,
        "success": 0,
        "partial": 0,
        "failed": 1,
    }
    assert days["2026-03-27"]["runs"] == 1  # running: counted as a run, in no outcome
    assert days["2026-03-01"]["runs"] == 0
    assert sum(bucket["runs"] for bucket in series["buckets"]) == 5


def test_the_period_is_the_day_a_run_started(runs):
    data = scraping_analytics(filters={"date_from": "2026-03-28", "date_to": "2026-03-29"})

    assert data["applied_filters"] == ["date_from", "date_to"]
    assert data["runs"]["total"] == 2  # R2, R3
    assert (data["runs"]["partial"], data["runs"]["failed"]) == (1, 1)
    assert data["leads"]["found"] == 20


def test_location_and_category_filters_select_runs(runs, places):
    assert scraping_analytics(filters={"location_names": "newyork"})["runs"]["total"] == 2
    assert scraping_analytics(filters={"location_names": "SF BAY AREA"})["runs"]["total"] == 3
    assert scraping_analytics(filters={"location_ids": [places["ny"].pk]})["runs"]["total"] == 2
    hhh = scraping_analytics(filters={"categories": "housing"})
    assert (hhh["runs"]["total"], hhh["applied_filters"]) == (2, ["categories"])  # R2, R4
    assert scraping_analytics(filters={"categories": "sss", "location_names": "sfbay"})["runs"]["total"] == 2


def test_lead_only_filters_are_ignored(runs):
    data = scraping_analytics(filters={"status": "converted", "has_email": "true", "min_price": "5"})
    assert data["runs"]["total"] == 5
    assert data["applied_filters"] == []
    assert data["filters"] == {"status": ["converted"], "has_email": True, "min_price": "5"}


def test_no_runs_gives_zeros_and_nulls():
    data = scraping_analytics(filters={})

    assert data["runs"]["total"] == 0
    assert data["runs"]["success_rate"] is None
    assert data["duration"] == {"average_seconds": None, "slowest_seconds": None, "slowest_run": None}
    assert data["leads"]["found_per_run"] is None
    assert data["over_time"] == {"granularity": "day", "buckets": []}
    assert data["by_location"] == data["latest_failures"] == []
    assert json.loads(json.dumps(data)) == data


def test_invalid_filters_raise():
    with pytest.raises(LeadFilterError):
        scraping_analytics(filters={"date_to": "2026-02-30"})


def test_query_count_does_not_grow_with_the_data(runs, django_assert_max_num_queries, monkeypatch):
    # The scrape-run figures alone; the sections other apps register count their own queries.
    monkeypatch.setattr("leads.analytics.sections._SECTIONS", {})
    with django_assert_max_num_queries(6):
        scraping_analytics(filters={})
    ScrapeRunFactory.create_batch(10, status="failed", error="x")
    with django_assert_max_num_queries(6):
        scraping_analytics(filters={})


def test_reposts_are_counted_by_the_site_that_reposted(runs, places):
    """A lead found by a run that repeats an earlier lead of its duplicate group is a repost of its site."""
    from leads.duplicates.grouping import duplicates_find
    from tests.factories import LeadFactory

    sf_run, ny_run = runs["R1"], runs["R3"]
    first = LeadFactory(location=places["sf"], scrape_run=sf_run, email="same@example.com", phone="", title="Piano")
    LeadFactory(location=places["ny"], scrape_run=ny_run, email="same@example.com", phone="", title="Upright piano")
    LeadFactory(location=places["ny"], scrape_run=ny_run, email="other@example.com", phone="", title="Desk")
    duplicates_find()
    first.refresh_from_db()
    assert first.duplicate_group.first_lead_id == first.pk
    data = scraping_analytics(filters={})
    assert data["leads"]["reposts"] == 1
    assert {entry["site_code"]: entry["reposts"] for entry in data["by_location"]} == {"sfbay": 0, "newyork": 1}
