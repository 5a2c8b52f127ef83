"""The rollup cells of a set of leads, computed in the database and written with one INSERT ... SELECT."""

import datetime

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from leads.rollups.models import PRICE_BAND_BOUNDS, PRICE_BAND_FIELDS, LeadDailyRollup

# Rollup columns in the order the cell query selects them.
COLUMNS = (
    "day",
    "location_id",
    "category_id",
    "status",
    "has_email",
    "has_phone",
    "leads",
    "priced",
    "price_sum",
    "price_min",
    "price_max",
    *PRICE_BAND_FIELDS,
)


def _band(index: int) -> Q:
    low = Q(price__gte=PRICE_BAND_BOUNDS[index])
    if index + 1 == len(PRICE_BAND_BOUNDS):
        return low
    return low & Q(price__lt=PRICE_BAND_BOUNDS[index + 1])


def cells_query(leads: QuerySet) -> QuerySet:
    """One row per rollup cell of `leads`, with the columns of COLUMNS in that order."""
    # The default time zone, not the active one: the rollups' days do not depend on the request.
    day = TruncDate("scraped_at", tzinfo=timezone.get_default_timezone())
    return (
        leads.order_by()
        .annotate(
            cell_day=day,
            cell_email=ExpressionWrapper(~Q(email=""), output_field=BooleanField()),
            cell_phone=ExpressionWrapper(~Q(phone=""), output_field=BooleanField()),
        )
        .values("cell_day", "location_id", "category_id", "status", "cell_email", "cell_phone")
        .annotate(
            cell_leads=Count("*"),
            cell_priced=Count("price"),
            cell_price_sum=Sum("price"),
            cell_price_min=Min("price"),
            cell_price_max=Max("price"),
            **{f"cell_{name}": Count("pk", filter=_band(index)) for index, name in enumerate(PRICE_BAND_FIELDS)},
        )
        .values_list(
            "cell_day",
            "location_id",
            "category_id",
            "status",
            "cell_email",
            "cell_phone",
            "cell_leads",
            "cell_priced",
            "cell_price_sum",
            "cell_price_min",
            "cell_price_max",
            *(f"cell_{name}" for name in PRICE_BAND_FIELDS),
        )
    )


def cells_insert(leads: QuerySet) -> int:
    """Write the rollup cells of `leads` (which must have none stored yet); returns the rows written."""
    sql, params = cells_query(leads).query.sql_with_params()
    table = connection.ops.quote_name(LeadDailyRollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        return cursor.rowcount


def local_days(utc_day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last local day (site time zone) that overlap the UTC day `utc_day`."""
    start = datetime.datetime.combine(utc_day, datetime.time.min, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    zone = timezone.get_default_timezone()
    return timezone.localdate(start, zone), timezone.localdate(end, zone)


def local_day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's default time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())
