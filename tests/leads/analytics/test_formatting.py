"""How figures read to a person."""

import pytest

from leads.analytics import formatting as fmt


def test_numbers_and_percentages():
    assert fmt.number(1234567) == "1,234,567"
    assert fmt.number(None) == "—"
    assert fmt.percent(0.2857) == "28.6 %"
    assert fmt.percent(None) == "—"


@pytest.mark.parametrize(
    ("value", "expected"), [("1000.00", "$1,000"), ("192.58", "$192.58"), ("0.50", "$0.50"), (None, "—")]
)
def test_price(value, expected):
    assert fmt.price(value) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"), [(None, "—"), (24.4, "24 s"), (127.5, "2 min 08 s"), (3725, "1 h 02 min")]
)
def test_duration(seconds, expected):
    assert fmt.duration(seconds) == expected


def test_file_size():
    assert fmt.file_size(512) == "512 B"
    assert fmt.file_size(2048) == "2.0 KB"
    assert fmt.file_size(5 * 1024 * 1024) == "5.0 MB"
    assert fmt.file_size(None) == "—"


def test_period_labels():
    assert fmt.period("2026-03-05", "2026-03-05", "day") == "Mar 5"
    assert fmt.period("2026-03-02", "2026-03-08", "week") == f"Mar 2{fmt.DASH}8"
    assert fmt.period("2026-03-30", "2026-04-05", "week") == f"Mar 30{fmt.DASH}Apr 5"
    assert fmt.period("2026-03-01", "2026-03-31", "month") == "Mar 2026"


def test_price_band():
    assert fmt.price_band("25.00", "50.00") == f"$25{fmt.DASH}$49.99"
    assert fmt.price_band("50000.00", None) == "$50,000+"
