"""Scrape runs filtered by the lead spec's dates and places: ScrapeRunQuerySet and ScrapeRunFilterSet."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from leads.models import ScrapeRun
from leads.run_filters import RUN_FILTER_PARAMETERS, scrape_run_list
from leads.selectors import LeadFilterError
from tests.factories import CategoryFactory, LocationFactory, ScrapeRunFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def pacific(settings):
    settings.TIME_ZONE = "America/Los_Angeles"


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=PACIFIC)


def test_days_are_whole_days_of_the_site_time_zone(pacific):
    before = ScrapeRunFactory(started_at=at(9, 23))
    first = ScrapeRunFactory(started_at=at(10, 0))
    last = ScrapeRunFactory(started_at=at(11, 23))
    after = ScrapeRunFactory(started_at=at(12, 0))

    runs = ScrapeRun.objects.from_day(datetime.date(2026, 11, 10)).until_day(datetime.date(2026, 11, 11))

    assert set(runs) == {first, last}
    assert before not in runs and after not in runs


def test_places_match_ids_names_site_codes_and_category_codes_case_insensitively():
    oakland = LocationFactory(name="Oakland", site_code="oak")
    boston = LocationFactory(name="Boston", site_code="bos")
    jobs = CategoryFactory(name="Jobs", code="jjj")
    in_oakland = ScrapeRunFactory(location=oakland, category=jobs)
    in_boston = ScrapeRunFactory(location=boston)

    assert list(ScrapeRun.objects.in_locations([oakland.pk])) == [in_oakland]
    assert list(ScrapeRun.objects.in_location_names(["OAKLAND"])) == [in_oakland]
    assert list(ScrapeRun.objects.in_location_names(["BOS"])) == [in_boston]
    assert list(ScrapeRun.objects.in_categories(["JJJ"])) == [in_oakland]
    assert list(ScrapeRun.objects.in_categories(["jobs"])) == [in_oakland]
    assert list(ScrapeRun.objects.in_categories(["nothing"])) == []


def test_status_and_finished():
    failed = ScrapeRunFactory(status="failed")
    running = ScrapeRunFactory(status="running", finished_at=None)

    assert list(ScrapeRun.objects.with_status(["failed"])) == [failed]
    assert running not in ScrapeRun.objects.finished()
    assert failed in ScrapeRun.objects.finished()


def test_the_filterset_reads_the_spec_run_filters_only(pacific):
    oakland = LocationFactory(name="Oakland", site_code="oak")
    wanted = ScrapeRunFactory(location=oakland, started_at=at(10, 12), status="failed")
    ScrapeRunFactory(location=oakland, started_at=at(8, 12))
    ScrapeRunFactory(started_at=at(10, 12))

    runs = scrape_run_list(
        # status, has_email and keywords describe leads: they must not narrow the runs
        filters={
            "date_from": "2026-11-10",
            "location_names": ["oak"],
            "status": ["new"],
            "has_email": True,
            "keywords": ["x"],
        }
    )

    assert list(runs) == [wanted]
    assert RUN_FILTER_PARAMETERS == ("date_from", "date_to", "location_ids", "location_names", "categories")


def test_bad_run_filters_are_errors_not_ignored():
    ScrapeRunFactory()

    with pytest.raises(LeadFilterError) as error:
        scrape_run_list(filters={"date_from": "2026-11-31"})
    assert "date_from" in error.value.message_dict

    with pytest.raises(LeadFilterError) as error:
        scrape_run_list(filters={"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert error.value.message_dict["date_to"] == ["The end date must be on or after the start date."]
