"""The median on both backends: percentile_disc on PostgreSQL, ORDER BY/OFFSET elsewhere, or within one band."""

from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection

from leads.analytics.median import PercentileCont, median, median_by_offset, median_in_bands
from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

CASES = [
    (["5"], Decimal("5")),
    (["9", "1", "5"], Decimal("5")),
    (["1", "2", "3", "100"], Decimal("2.5")),
    (["1", None, "3", None], Decimal("2")),  # nulls are left out
    (["24.99", "25"], Decimal("24.995")),  # exact: a float mean would be 24.99499... and round down
    (["7", "7", "7", "8"], Decimal("7")),  # ties
]


def make(prices) -> int:
    for price in prices:
        LeadFactory(price=price)
    return Lead.objects.exclude(price=None).count()


@pytest.mark.parametrize(("prices", "expected"), CASES)
def test_median_on_this_database(prices, expected):
    count = make(prices)
    # The whole table and a filtered queryset give the same median.
    assert Decimal(str(median(Lead.objects.all(), "price", count=count))) == expected
    assert Decimal(str(median(Lead.objects.filter(pk__gt=0), "price", count=count))) == expected


@pytest.mark.parametrize(("prices", "expected"), CASES)
def test_median_by_offset(prices, expected):
    count = make(prices)
    assert median_by_offset(Lead.objects.all(), "price", count=count) == expected


def test_median_of_nothing_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert median(Lead.objects.all(), "price", count=0) is None


def test_median_is_one_query(django_assert_num_queries):
    count = make(["1", "2", "3"])
    with django_assert_num_queries(1):
        median(Lead.objects.filter(price__gte=2), "price", count=count - 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_percentile_cont_interpolates():
    make(["1", "2", "3", "100", None])
    assert Lead.objects.aggregate(median=PercentileCont("price"))["median"] == 2.5


BOUNDS = (0, 25, 50, 100)


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        (["5"], Decimal("5")),
        (["1", "30", "60", "70", "200"], Decimal("60")),  # the middle in the third band
        (["10", "20", "30", "40"], Decimal("25")),  # the two middle values in two bands
        (["24.99", "25"], Decimal("24.995")),
        (["100", "500", "900"], Decimal("500")),  # the last band is open
    ],
)
def test_median_in_bands_reads_the_middle_band_only(prices, expected, django_assert_max_num_queries):
    make(prices)
    counts = [Lead.objects.filter(price__gte=low, price__lt=high).count() for low, high in pairwise(BOUNDS)]
    counts.append(Lead.objects.filter(price__gte=BOUNDS[-1]).count())

    with django_assert_max_num_queries(2):  # one per band holding a middle value
        assert median_in_bands(Lead.objects.all(), "price", bounds=BOUNDS, band_counts=counts) == expected
