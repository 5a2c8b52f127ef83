"""Number formats and time buckets shared by the analytics selectors."""

import datetime
from decimal import Decimal

import pytest

from leads.analytics import common

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
