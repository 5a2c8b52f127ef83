"""Number formats and time buckets shared by the analytics selectors."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Q

from leads.analytics import common
from leads.models import ScrapeRun
from tests.factories import ScrapeRunFactory

D = datetime.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (Decimal("12"), "12.00"),
        (Decimal("190.91666666"), "190.92"),
        (Decimal("0.005"), "0.01"),  # half a cent rounds up
        (192.58333333333334, "192.58"),  # SQLite averages are floats
        (1.005, "1.01"),
    ],
)
def test_money_is_a_two_decimal_string(value, expected):
    assert common.money(value) == expected


def test_rate_is_a_rounded_fraction_or_null():
    assert common.rate(2, 7) == 0.2857
    assert common.rate(0, 5) == 0.0
    assert common.rate(3, 0) is None
    assert common.rate(None, 3) is None


def test_seconds():
    assert common.seconds(datetime.timedelta(minutes=2, microseconds=60_000)) == 120.1
    assert common.seconds(None) is None


@pytest.mark.parametrize(
    ("first", "last", "granularity"),
    [
        (D(2026, 1, 1), D(2026, 1, 1), "day"),
        (D(2026, 1, 1), D(2026, 4, 2), "day"),  # 92 days
        (D(2026, 1, 1), D(2026, 4, 3), "week"),  # 93 days
        (D(2024, 1, 1), D(2027, 1, 2), "week"),  # 1,098 days
        (D(2024, 1, 1), D(2027, 1, 3), "month"),
    ],
)
def test_granularity_grows_with_the_span(first, last, granularity):
    assert common.granularity_for(first, last) == granularity


def test_bucket_bounds():
    assert common.bucket_start(D(2026, 3, 5), "week") == D(2026, 3, 2)  # Thursday -> Monday
    assert common.bucket_end(D(2026, 3, 2), "week") == D(2026, 3, 8)
    assert common.bucket_start(D(2024, 2, 17), "month") == D(2024, 2, 1)
    assert common.bucket_end(D(2024, 2, 1), "month") == D(2024, 2, 29)
    assert common.bucket_end(D(2026, 3, 5), "day") == D(2026, 3, 5)


def test_bucket_starts_cover_the_span_without_gaps():
    assert common.bucket_starts(D(2026, 3, 30), D(2026, 4, 1), "day") == [D(2026, 3, 30), D(2026, 3, 31), D(2026, 4, 1)]
    assert common.bucket_starts(D(2026, 3, 4), D(2026, 3, 16), "week") == [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)]
    assert common.bucket_starts(D(2025, 12, 31), D(2026, 2, 1), "month") == [
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]


def test_series_over_time_fills_every_bucket_between_first_and_last():
    series = common.series_over_time(
        {D(2026, 3, 2): {"count": 4}, D(2026, 3, 4): {"count": 1}},
        first=D(2026, 3, 2),
        last=D(2026, 3, 4),
        empty={"count": 0},
    )

    assert series == {
        "granularity": "day",
        "buckets": [
            {"start": "2026-03-02", "end": "2026-03-02", "count": 4},
            {"start": "2026-03-03", "end": "2026-03-03", "count": 0},
            {"start": "2026-03-04", "end": "2026-03-04", "count": 1},
        ],
    }
    assert common.series_over_time({}, first=None, last=None, empty={"count": 0}) == {
        "granularity": "day",
        "buckets": [],
    }


@pytest.mark.django_db
def test_counts_over_time_groups_in_the_database_per_week(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    tz = datetime.timezone(datetime.timedelta(hours=-8))
    # Monday 2026-01-05 and Sunday 2026-01-11 fall in one week; 2026-04-30 is months later, so weeks.
    for moment, status in (
        (datetime.datetime(2026, 1, 5, 9, tzinfo=tz), "failed"),
        (datetime.datetime(2026, 1, 11, 23, tzinfo=tz), "success"),
        (datetime.datetime(2026, 4, 30, 9, tzinfo=tz), "success"),
    ):
        ScrapeRunFactory(started_at=moment, status=status)

    series = common.counts_over_time(
        ScrapeRun.objects.all(),
        field="started_at",
        first=D(2026, 1, 5),
        last=D(2026, 4, 30),
        aggregates={"runs": Count("pk"), "failed": Count("pk", filter=Q(status="failed"))},
    )

    assert series["granularity"] == "week"
    buckets = series["buckets"]
    assert buckets[0] == {"start": "2026-01-05", "end": "2026-01-11", "runs": 2, "failed": 1}
    assert buckets[1] == {"start": "2026-01-12", "end": "2026-01-18", "runs": 0, "failed": 0}
    assert buckets[-1] == {"start": "2026-04-27", "end": "2026-05-03", "runs": 1, "failed": 0}
    assert sum(bucket["runs"] for bucket in buckets) == 3
