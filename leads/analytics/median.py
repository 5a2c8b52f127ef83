"""A median that works on PostgreSQL and SQLite with at most one extra query.

PostgreSQL computes it inside the caller's aggregate query with
`percentile_cont(0.5)`; other databases (SQLite) read the one or two middle
values with ORDER BY ... LIMIT ... OFFSET once the caller knows the count.
"""

from decimal import Decimal

from django.db import connections
from django.db.models import Aggregate, FloatField, QuerySet


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the interpolated percentile of a column (nulls ignored)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression, fraction: float = 0.5, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def median_in_database(queryset: QuerySet) -> bool:
    """Whether the median can be an aggregate of the main query on this queryset's database."""
    return connections[queryset.db].vendor == "postgresql"


def median_by_offset(queryset: QuerySet, field: str, *, count: int) -> Decimal | None:
    """The median of `field` over the `count` non-null values of `queryset`, read by offset.

    The middle value for an odd count, the mean of the two middle values for an even one.
    """
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
