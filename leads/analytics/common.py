"""Shared building blocks of the analytics selectors: the validated spec, number formats, time buckets.

Output conventions (every analytics dict follows them, so they are JSON-safe
and stable):
    money     a string with exactly two decimals ("1234.50"), or null; exact,
              unlike a float, and what the export formats and the API print
    rates     a float fraction between 0 and 1 rounded to 4 places ("share",
              "*_rate"), or null when its denominator is 0
    counts    integers
    durations float seconds rounded to 0.1 ("*_seconds"), or null
    dates     ISO dates ("2026-03-01"); moments are ISO date-times with offset
"""

import calendar
import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate, DateField, QuerySet
from django.db.models.functions import Trunc
from django.utils import timezone

from leads.filters import LeadFilterSet
from leads.selectors import lead_filterset

CENT = Decimal("0.01")

DAY, WEEK, MONTH = "day", "week", "month"
# Spans up to a quarter are drawn per day, up to three years per week, longer ones per month.
DAY_BUCKETS_MAX_DAYS = 92
WEEK_BUCKETS_MAX_DAYS = 3 * 366


def spec_filterset(*, filters: Mapping | None) -> tuple[LeadFilterSet, dict]:
    """The validated LeadFilterSet for `filters` and its normalized spec.

    Raises `leads.selectors.LeadFilterError` (with `.message_dict`) when a value is invalid.
    """
    filterset = lead_filterset(filters=filters)
    return filterset, filterset.normalized_spec()


def rate(part: int | float | None, whole: int | float | None) -> float | None:
    if not whole or part is None:
        return None
    return round(part / whole, 4)


def money(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):
        # Floats come back from SQLite averages and PostgreSQL's percentile_cont; their
        # shortest repr is the decimal the database meant.
        value = Decimal(repr(value))
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def seconds(value: datetime.timedelta | None) -> float | None:
    if value is None:
        return None
    return round(value.total_seconds(), 1)


def iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    return None if value is None else timezone.localdate(value)


# --- time buckets --------------------------------------------------------------------------------


def granularity_for(first: datetime.date, last: datetime.date) -> str:
    span = (last - first).days + 1
    if span <= DAY_BUCKETS_MAX_DAYS:
        return DAY
    if span <= WEEK_BUCKETS_MAX_DAYS:
        return WEEK
    return MONTH


def truncate(field: str, granularity: str) -> Trunc:
    """The bucket's first day, computed in the database in the site's time zone."""
    return Trunc(field, granularity, output_field=DateField())


def bucket_start(day: datetime.date, granularity: str) -> datetime.date:
    if granularity == WEEK:
        return day - datetime.timedelta(days=day.weekday())  # weeks start on Monday, as in the database
    if granularity == MONTH:
        return day.replace(day=1)
    return day


def bucket_end(start: datetime.date, granularity: str) -> datetime.date:
    """The bucket's last day (inclusive)."""
    if granularity == WEEK:
        return start + datetime.timedelta(days=6)
    if granularity == MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def bucket_starts(first: datetime.date, last: datetime.date, granularity: str) -> list[datetime.date]:
    """Every bucket from the one holding `first` to the one holding `last`, so charts have no gaps."""
    starts = []
    current = bucket_start(first, granularity)
    while current <= last:
        starts.append(current)
        current = bucket_end(current, granularity) + datetime.timedelta(days=1)
    return starts


def series_over_time(
    per_bucket: Mapping[datetime.date, Mapping], *, first: datetime.date | None, last: datetime.date | None, empty: dict
) -> dict:
    """`{granularity, buckets}` from the bucket holding `first` to the one holding `last`.

    `per_bucket` maps a bucket's first day to its figures (at the granularity
    `granularity_for(first, last)` picks); a bucket without figures gets `empty`.
    """
    if first is None or last is None:
        return {"granularity": DAY, "buckets": []}
    granularity = granularity_for(first, last)
    return {
        "granularity": granularity,
        "buckets": [
            {"start": iso(start), "end": iso(bucket_end(start, granularity)), **per_bucket.get(start, empty)}
            for start in bucket_starts(first, last, granularity)
        ],
    }


def counts_over_time(
    queryset: QuerySet,
    *,
    field: str,
    first: datetime.date | None,
    last: datetime.date | None,
    aggregates: Mapping[str, Aggregate],
) -> dict:
    """`aggregates` per day, week or month of `field` (one GROUP BY query), every bucket from first to last."""
    if first is None or last is None:
        return series_over_time({}, first=first, last=last, empty={})
    granularity = granularity_for(first, last)
    rows = queryset.annotate(bucket=truncate(field, granularity)).values("bucket").annotate(**aggregates).order_by()
    per_bucket = {row.pop("bucket"): row for row in rows}
    return series_over_time(per_bucket, first=first, last=last, empty=dict.fromkeys(aggregates, 0))
