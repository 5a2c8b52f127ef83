"""The total rollups (LeadTotalRollup): the daily cells summed over their days, per (location, category) pair.

Recomputed from the daily cells, never from the leads, by the refresh that changed those daily
cells (leads.rollups.refresh), in the same transaction: a spec without dates then reads a few
thousand rows instead of every day's cells.
"""

from django.db import connection
from django.db.models import Max, Min, Q, Sum

from leads.rollups.models import PRICE_BAND_FIELDS, LeadDailyRollup, LeadTotalRollup

KEYS = ("location_id", "category_id", "status", "has_email", "has_phone")
SUMMED = ("leads", "priced", "price_sum", *PRICE_BAND_FIELDS)
COLUMNS = (*KEYS, *SUMMED, "price_min", "price_max", "first_day", "last_day")
PAIRS_PER_STATEMENT = 200  # SQLite limits an expression's depth to 1,000


def _insert(daily) -> int:
    aggregates = {f"total_{name}": Sum(name) for name in SUMMED}
    aggregates.update(total_price_min=Min("price_min"), total_price_max=Max("price_max"))
    aggregates.update(total_first=Min("day"), total_last=Max("day"))
    query = daily.order_by().values(*KEYS).annotate(**aggregates).values_list(*KEYS, *aggregates)
    sql, params = query.query.sql_with_params()
    table = connection.ops.quote_name(LeadTotalRollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        return cursor.rowcount


def totals_rebuild() -> int:
    """Every total cell from the daily cells; returns the rows written."""
    LeadTotalRollup.objects.all().delete()
    return _insert(LeadDailyRollup.objects.all())


def totals_refresh(pairs: set[tuple[int, int]]) -> int:
    """The total cells of these (location id, category id) pairs from their daily cells."""
    written = 0
    ordered = sorted(pairs)
    for start in range(0, len(ordered), PAIRS_PER_STATEMENT):
        chosen = Q()
        for location_id, category_id in ordered[start : start + PAIRS_PER_STATEMENT]:
            chosen |= Q(location_id=location_id, category_id=category_id)
        LeadTotalRollup.objects.filter(chosen).delete()
        written += _insert(LeadDailyRollup.objects.filter(chosen))
    return written
