"""The median on both backends: percentile_cont on PostgreSQL, ORDER BY/OFFSET elsewhere."""

from decimal import Decimal

import pytest
from django.db import connection

from leads.analytics.median import PercentileCont, median_by_offset, median_in_database
from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        (["5"], Decimal("5")),
        (["9", "1", "5"], Decimal("5")),
        (["1", "2", "3", "100"], Decimal("2.5")),
        (["1", None, "3", None], Decimal("2")),  # nulls are left out
    ],
)
def test_median_by_offset(prices, expected):
    for price in prices:
        LeadFactory(price=price)
    count = Lead.objects.exclude(price=None).count()
    assert median_by_offset(Lead.objects.all(), "price", count=count) == expected


def test_median_by_offset_of_nothing():
    assert median_by_offset(Lead.objects.all(), "price", count=0) is None


def test_median_in_database_only_on_postgresql():
    assert median_in_database(Lead.objects.all()) is (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_percentile_cont_agrees_with_the_offset_median():
    for price in ["1", "2", "3", "100", None]:
        LeadFactory(price=price)
    assert Lead.objects.aggregate(median=PercentileCont("price"))["median"] == 2.5
