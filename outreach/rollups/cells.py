"""The message rollup cells of a set of messages, computed in the database and written with INSERT ... SELECT.

The daily cells are replaced range by range (see outreach.rollups.refresh); the totals are
kept by adding the new daily cells' sums and subtracting the replaced ones' (an upsert), so a
refresh never re-reads every cell.
"""

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from outreach.rollups.models import MessageDailyRollup, MessageTotalRollup

KEYS = ("queued_day", "template_id", "variant_id", "ab_test_id", "message_status")
LEAD_KEYS = ("day", "location_id", "category_id", "status", "has_email", "has_phone")
FIGURES = ("n", "sent", "delivered", "replied", "replied_any", "converted")
SENT = Q(sent_at__isnull=False)


def _figures() -> dict:
    # converted_q() read from the lead's current status and lead_status_at_queue, here through the join.
    converted = Q(lead__status="converted") & ~Q(lead_status_at_queue="converted")
    return {
        "cell_n": Count("*"),
        "cell_sent": Count("pk", filter=SENT),
        "cell_delivered": Count("pk", filter=SENT & Q(delivered_at__isnull=False)),
        "cell_replied": Count("pk", filter=SENT & Q(replied_at__isnull=False)),
        "cell_replied_any": Count("pk", filter=Q(replied_at__isnull=False)),
        "cell_converted": Count("pk", filter=SENT & converted),
    }


def cells_query(messages: QuerySet) -> QuerySet:
    """One row per daily cell of `messages`: KEYS, LEAD_KEYS, FIGURES in that order."""
    # The default time zone, not the active one: the rollups' days do not depend on the request.
    zone = timezone.get_default_timezone()
    keys = {
        "cell_queued_day": TruncDate("queued_at", tzinfo=zone),
        "cell_variant": Coalesce("variant_id", Value(0), output_field=IntegerField()),
        "cell_ab_test": Coalesce("ab_test_id", Value(0), output_field=IntegerField()),
        "cell_day": TruncDate("lead__scraped_at", tzinfo=zone),
        "cell_email": ExpressionWrapper(~Q(lead__email=""), output_field=BooleanField()),
        "cell_phone": ExpressionWrapper(~Q(lead__phone=""), output_field=BooleanField()),
    }
    names = ("cell_queued_day", "template_id", "cell_variant", "cell_ab_test", "status", "cell_day")
    names += ("lead__location_id", "lead__category_id", "lead__status", "cell_email", "cell_phone")
    figures = _figures()
    return messages.order_by().annotate(**keys).values(*names).annotate(**figures).values_list(*names, *figures)


def _execute(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _columns(names) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def cells_insert(messages: QuerySet) -> int:
    """Write the daily cells of `messages` (which must have none stored yet); returns the rows written."""
    sql, params = cells_query(messages).query.sql_with_params()
    table = connection.ops.quote_name(MessageDailyRollup._meta.db_table)
    return _execute(f"INSERT INTO {table} ({_columns((*KEYS, *LEAD_KEYS, *FIGURES))}) {sql}", params)


def totals_add(daily: QuerySet, *, sign: int = 1) -> int:
    """Add (sign 1) or subtract (sign -1) the sums of the daily cells `daily` to the totals, key by key."""
    sums = {f"total_{name}": Sum(name) * sign for name in FIGURES}
    sql, params = daily.order_by().values(*KEYS).annotate(**sums).values_list(*KEYS, *sums).query.sql_with_params()
    table = connection.ops.quote_name(MessageTotalRollup._meta.db_table)
    add = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in FIGURES)
    # "WHERE true": SQLite could otherwise read ON CONFLICT as the join constraint of the SELECT.
    return _execute(
        f"INSERT INTO {table} ({_columns((*KEYS, *FIGURES))}) SELECT * FROM ({sql}) AS sums WHERE true "
        f"ON CONFLICT ({_columns(KEYS)}) DO UPDATE SET {add}",
        params,
    )


def totals_prune() -> None:
    """Drop the totals whose messages are all gone."""
    MessageTotalRollup.objects.filter(n=0).delete()
