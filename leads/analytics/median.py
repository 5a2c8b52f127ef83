"""The median of a column in one query, on PostgreSQL and SQLite.

For a filtered queryset PostgreSQL computes it with its ordered-set aggregate
`percentile_cont(0.5)`, sorting only the selected rows. Otherwise (SQLite, or
PostgreSQL over the whole table, where the column's index is in order) the one
or two middle values are read with ORDER BY ... LIMIT ... OFFSET, which needs
the count of non-null values: the caller knows it from its grouped query.
"""

from decimal import Decimal

from django.db import connections
from django.db.models import Aggregate, FloatField, QuerySet


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
    an even one. A float on PostgreSQL, a Decimal elsewhere (money() formats both).
    """
    if count <= 0:
        return None
    # Without a filter, the offset walks half of the column's index; with one, PostgreSQL's
    # percentile_cont sorts only the selected rows, where an offset could walk the index row by row.
    if connections[queryset.db].vendor == "postgresql" and queryset.query.where:
        return queryset.order_by().aggregate(median=PercentileCont(field))["median"]
    return median_by_offset(queryset, field, count=count)


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
