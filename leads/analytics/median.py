"""The median of a column in one query, on PostgreSQL and SQLite.

PostgreSQL picks the one or two middle values with its ordered-set aggregate
`percentile_disc` (exact, unlike `percentile_cont`'s floating-point interpolation):
the planner reads the column's index in order or sorts the selected rows,
whichever is cheaper. Other databases (SQLite) read the one or two middle
values with ORDER BY ... LIMIT ... OFFSET, which needs the count of non-null
values: the caller knows it from its grouped query. (An offset on PostgreSQL
walks half the index and, before VACUUM has marked the table's pages
all-visible, fetches a heap row per entry: 1.1 s on 1,000,000 leads.)
"""

from decimal import Decimal

from django.db import connections
from django.db.models import Aggregate, FloatField, QuerySet


class PercentileDisc(Aggregate):
    """PostgreSQL's percentile of a column as one of its values (nulls ignored): exact, the column's type."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class PercentileCont(Aggregate):
    """PostgreSQL's interpolated percentile of a column (nulls ignored)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float = 0.5, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def median(queryset: QuerySet, field: str, *, count: int) -> Decimal | float | None:
    """The median of `field` over `queryset`, whose `count` non-null values the caller knows.

    The middle value for an odd count, the mean of the two middle values for
    an even one, as an exact Decimal.
    """
    if count <= 0:
        return None
    if connections[queryset.db].vendor == "postgresql":
        return median_by_percentiles(queryset, field, count=count)
    return median_by_offset(queryset, field, count=count)


def median_by_percentiles(queryset: QuerySet, field: str, *, count: int) -> Decimal | None:
    """The two middle values picked by percentile_disc in one sort, averaged exactly.

    percentile_cont would interpolate in floating point (24.99 and 25 give 24.994999...,
    which rounds to the wrong cent). percentile_disc(f) returns the value at position
    ceil(f x count); aiming at the middle of each position keeps float error out of the ceiling.
    """
    lower, upper = (count + 1) // 2, count // 2 + 1  # 1-based positions: equal for an odd count
    middle = queryset.order_by().aggregate(
        lower=PercentileDisc(field, (lower - 0.5) / count), upper=PercentileDisc(field, (upper - 0.5) / count)
    )
    if middle["lower"] is None:
        return None
    return (Decimal(middle["lower"]) + Decimal(middle["upper"])) / 2


def median_by_offset(queryset: QuerySet, field: str, *, count: int) -> Decimal | None:
    """The median read by offset: ORDER BY field, LIMIT 1 or 2 from the middle."""
    if count <= 0:
        return None
    offset = (count - 1) // 2
    take = 1 if count % 2 else 2
    middle = list(
        queryset.exclude(**{f"{field}__isnull": True})
        .order_by(field)
        .values_list(field, flat=True)[offset : offset + take]
    )
    if not middle:
        return None
    return sum(middle, Decimal(0)) / len(middle)


def median_in_bands(
    queryset: QuerySet, field: str, *, bounds: tuple[int, ...], band_counts: list[int]
) -> Decimal | None:
    """The median of `field` when the rollups say how many values fall in each band.

    `band_counts[i]` values lie in [bounds[i], bounds[i + 1]) (the last band is
    open). The middle rank's band and its place inside it follow from the counts,
    so the query reads only that band's values (ORDER BY ... LIMIT/OFFSET within
    the band), not the half of all values before the middle.
    """
    count = sum(band_counts)
    if count <= 0:
        return None
    first = (count - 1) // 2
    ranks = [first] if count % 2 else [first, first + 1]
    middle = []
    for band, offsets in _ranks_by_band(ranks, band_counts).items():
        values = queryset.filter(**{f"{field}__gte": bounds[band]})
        if band + 1 < len(bounds):
            values = values.filter(**{f"{field}__lt": bounds[band + 1]})
        start = offsets[0]
        middle += list(values.order_by(field).values_list(field, flat=True)[start : offsets[-1] + 1])
    if len(middle) != len(ranks):  # the counts and the values disagree: read by offset instead
        return median_by_offset(queryset, field, count=count)
    return sum(middle, Decimal(0)) / len(middle)


def _ranks_by_band(ranks: list[int], band_counts: list[int]) -> dict[int, list[int]]:
    """{band: [offsets inside the band]} for the given ranks among all values, in value order."""
    found: dict[int, list[int]] = {}
    below = 0
    for band, size in enumerate(band_counts):
        for rank in ranks:
            if below <= rank < below + size:
                found.setdefault(band, []).append(rank - below)
        below += size
    return found
