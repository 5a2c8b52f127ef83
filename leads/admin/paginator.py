"""A changelist paginator for a million leads: exact counts while they are cheap, an estimate past that.

Django's admin asks the paginator for `count` on every changelist page. A
plain COUNT(*) reads every matching row, which costs 100 ms and more once
100,000+ leads match, whatever the page shows. This paginator stops counting
at `exact_count_limit` + 1 rows (the LIMIT lets the database stop early).
When more leads match, it takes PostgreSQL's planner estimate for the same
filters instead, rounded to two significant figures so it reads as the
approximation it is, and never below the limit. `count_is_exact` tells
templates to say "about". Databases without a planner estimate (SQLite, used
for small installs) count exactly. When the queryset carries `exact_count`
(the changelist sets it from the daily lead rollups), that count is used.
"""

import json
import math

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


class LeadPaginator(Paginator):
    # 200 pages of 50 leads: more than anyone pages through, and cheap to count (a few ms).
    exact_count_limit = 10_000
    _count_is_exact = True

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return len(object_list)
        # The changelist sets it when the daily rollups answer the spec: exact, without reading the leads.
        if (known := getattr(object_list, "exact_count", None)) is not None:
            return known
        counted = queryset_count_up_to(object_list, limit=self.exact_count_limit + 1)
        if counted <= self.exact_count_limit:
            return counted
        estimate = queryset_row_estimate(object_list)
        if estimate is None:
            return object_list.count()
        self._count_is_exact = False
        return max(round_significant(estimate), round_significant(self.exact_count_limit + 1, up=True))

    @property
    def count_is_exact(self) -> bool:
        """False when `count` is the planner's estimate (counting first if needed)."""
        self.count  # noqa: B018 - the count decides whether it is exact
        return self._count_is_exact

    def page(self, number):
        if self.count_is_exact:
            return super().page(number)
        # The estimate may be off either way: pages are full slices, a page past the real end is empty.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def queryset_count_up_to(queryset: QuerySet, *, limit: int) -> int:
    """How many rows the queryset has, counting no further than `limit`."""
    # No ORDER BY: the database may stop at the first `limit` rows it finds, in any order.
    return queryset.order_by().values("pk")[:limit].count()


def queryset_row_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's planner estimate of the rows the queryset selects; None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def round_significant(number: int, *, digits: int = 2, up: bool = False) -> int:
    """`number` to `digits` significant figures: 115,743 -> 120,000 (or 10,001 -> 11,000 rounding up)."""
    if number <= 0:
        return 0
    step = 10 ** max(len(str(number)) - digits, 0)
    return (math.ceil(number / step) if up else round(number / step)) * step
