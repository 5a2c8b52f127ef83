"""Where lead figures come from: the daily rollups when the spec allows, otherwise the leads.

`lead_source(filterset)` picks the source. Both answer the same questions
with the same numbers (tests compare them on random specs and changes):
    groups(prices=...)   one dict per (location_id, category_id, status) with count,
                         first_day, last_day, with_email, with_phone, with_both and,
                         with prices, priced, price_sum, price_min, price_max and
                         price_from_<i> (leads priced at or above PRICE_BAND_BOUNDS[i])
    recent(now=...)      {days: leads found at or after now - days} for RECENT_DAYS
    over_time(granularity)  {bucket start: {count, converted}}
    median(groups)       the median price of the selected leads

Rollups serve a spec that uses only their dimensions (found day, status,
location, category, contact availability; see
`LeadFilterSet.answerable_by_rollups`), when LEAD_ROLLUPS is on, the
database has rollup triggers, and the active time zone is the site's one.
"""

import datetime

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from leads.analytics.common import bucket_start, local_date, truncate
from leads.analytics.median import median, median_in_bands
from leads.conf import rollups_enabled
from leads.filters import LeadFilterSet
from leads.models import LeadStatus
from leads.predicates import start_of_day
from leads.rollups import rollups_current
from leads.rollups.models import PRICE_BAND_BOUNDS, PRICE_BAND_FIELDS, LeadDailyRollup, LeadTotalRollup

RECENT_DAYS = (1, 7, 30)
ONE_DAY = datetime.timedelta(days=1)
HAS_EMAIL, HAS_PHONE = ~Q(email=""), ~Q(phone="")


def lead_source(filterset: LeadFilterSet) -> "ScanSource | RollupSource":
    """The rollup source when it can answer `filterset`'s spec exactly, else the scan of the leads."""
    if (
        rollups_enabled()
        and filterset.answerable_by_rollups()
        and timezone.get_current_timezone_name() == timezone.get_default_timezone_name()
        and rollups_current()
    ):
        return RollupSource(filterset)
    return ScanSource(filterset)


def _windows(now: datetime.datetime) -> dict[int, tuple[datetime.date, Q]]:
    """{days: (the window's first day, the leads of that day inside the window)} per rolling window."""
    windows = {}
    for days in RECENT_DAYS:
        since = now - datetime.timedelta(days=days)
        first_day = timezone.localdate(since)
        windows[days] = (first_day, Q(scraped_at__gte=since, scraped_at__lt=start_of_day(first_day + ONE_DAY)))
    return windows


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def rollup_lead_count(filterset: LeadFilterSet) -> int | None:
    """How many leads the spec selects, from the rollups; None when they cannot answer it."""
    source = lead_source(filterset)
    return source.count() if source.uses_rollups else None


class ScanSource:
    """Figures computed from every selected lead."""

    uses_rollups = False

    def __init__(self, filterset: LeadFilterSet):
        self.leads = filterset.qs.order_by()
        self._recent: dict[int, int] = {}

    def groups(self, *, prices: bool = True, now: datetime.datetime | None = None) -> list[dict]:
        aggregates = {
            "first_found": Min("scraped_at"),
            "last_found": Max("scraped_at"),
            "with_email": Count("pk", filter=HAS_EMAIL),
            "with_phone": Count("pk", filter=HAS_PHONE),
            "with_both": Count("pk", filter=HAS_EMAIL & HAS_PHONE),
        }
        if now is not None:  # the rolling windows ride along in the same scan
            for days in RECENT_DAYS:
                aggregates[f"new_{days}"] = Count("pk", filter=Q(scraped_at__gte=now - datetime.timedelta(days=days)))
        if prices:
            aggregates.update(priced=Count("price"), price_sum=Sum("price"), price_min=Min("price"))
            aggregates["price_max"] = Max("price")
            for index, low in enumerate(PRICE_BAND_BOUNDS):
                aggregates[f"price_from_{index}"] = Count("pk", filter=Q(price__gte=low))
        groups = list(
            self.leads.values("location_id", "category_id", "status").annotate(count=Count("pk"), **aggregates)
        )
        for group in groups:
            group["first_day"] = local_date(group.pop("first_found"))
            group["last_day"] = local_date(group.pop("last_found"))
        if now is not None:
            self._recent = {days: sum(group.pop(f"new_{days}") for group in groups) for days in RECENT_DAYS}
        return groups

    def recent(self, *, now: datetime.datetime) -> dict[int, int]:
        """Computed by groups(now=now), which must run first."""
        return self._recent

    def over_time(self, granularity: str) -> dict:
        rows = (
            self.leads.annotate(bucket=truncate("scraped_at", granularity))
            .values("bucket")
            # COUNT(*) and a count of `status` only: PostgreSQL can answer from the (status, scraped_at) index.
            .annotate(count=Count("*"), converted=Count("status", filter=Q(status=LeadStatus.CONVERTED)))
            .order_by()
        )
        return {row.pop("bucket"): row for row in rows}

    def median(self, groups: list[dict]):
        return median(self.leads, "price", count=sum(group["priced"] for group in groups))


class RollupSource:
    """Figures summed from the rollups; the leads are read only for partial days and the median.

    A spec without dates reads the total rollups (every day summed, a few thousand rows whatever
    the number of leads); the per-day figures (the chart, the rolling windows' whole days) and
    dated specs read the daily ones.
    """

    uses_rollups = True

    def __init__(self, filterset: LeadFilterSet):
        self.leads = filterset.qs.order_by()
        self.rollups = filterset.rollup_queryset(LeadDailyRollup.objects.all()).order_by()
        dated = filterset.normalized_spec().keys() & {"date_from", "date_to"}
        self.cells = self.rollups if dated else filterset.rollup_queryset(LeadTotalRollup.objects.all()).order_by()
        self._first, self._last = ("day", "day") if dated else ("first_day", "last_day")
        self._per_day: list[tuple[datetime.date, int, int]] | None = None

    def count(self) -> int:
        return int(self.cells.aggregate(leads=Sum("leads", default=0))["leads"])

    def groups(self, *, prices: bool = True, now: datetime.datetime | None = None) -> list[dict]:
        aggregates = {
            "count": Sum("leads"),
            "first_day": Min(self._first),
            "last_day": Max(self._last),
            "with_email": Sum("leads", filter=Q(has_email=True), default=0),
            "with_phone": Sum("leads", filter=Q(has_phone=True), default=0),
            "with_both": Sum("leads", filter=Q(has_email=True, has_phone=True), default=0),
        }
        if prices:
            aggregates.update(priced=Sum("priced"), price_sum=Sum("price_sum"), price_min=Min("price_min"))
            aggregates["price_max"] = Max("price_max")
            aggregates.update({name: Sum(name) for name in PRICE_BAND_FIELDS})
        groups = list(self.cells.values("location_id", "category_id", "status").annotate(**aggregates))
        for group in groups:
            for name in ("count", "with_email", "with_phone", "with_both", "priced"):
                if name in group:
                    group[name] = int(group[name] or 0)
            group["first_day"], group["last_day"] = _as_date(group["first_day"]), _as_date(group["last_day"])
            if prices:
                group["bands"] = bands = [int(group.pop(name) or 0) for name in PRICE_BAND_FIELDS]
                running = 0
                for index in range(len(bands) - 1, -1, -1):
                    running += bands[index]
                    group[f"price_from_{index}"] = running
        return groups

    def _days(self) -> list[tuple[datetime.date, int, int]]:
        """(day, leads, converted leads) per day: the chart and the windows' whole days, one query."""
        if self._per_day is None:
            rows = self.rollups.values("day").annotate(
                count=Sum("leads"), converted=Sum("leads", filter=Q(status=LeadStatus.CONVERTED), default=0)
            )
            self._per_day = [(_as_date(row["day"]), int(row["count"]), int(row["converted"])) for row in rows]
        return self._per_day

    def recent(self, *, now: datetime.datetime) -> dict[int, int]:
        """Whole days after each window's first day (the per-day rollups), plus that day from the leads.

        A window starts in the middle of a day (now - N x 24 h), so only that
        one day needs the leads themselves: one query per window, each a range of
        the found-at index. (One query with the ranges OR-ed together made
        PostgreSQL filter the whole index instead: 0.2-0.9 s at 1,000,000 leads.)
        """
        days = self._days()
        return {
            days_back: sum(count for day, count, _ in days if day > first_day) + self.leads.filter(partial).count()
            for days_back, (first_day, partial) in _windows(now).items()
        }

    def over_time(self, granularity: str) -> dict:
        # Per day in SQL, into weeks or months here: a few hundred rows, and no per-row date function
        # (a Python function on SQLite).
        buckets: dict[datetime.date, dict] = {}
        for day, count, converted in self._days():
            bucket = buckets.setdefault(bucket_start(day, granularity), {"count": 0, "converted": 0})
            bucket["count"] += count
            bucket["converted"] += converted
        return buckets

    def median(self, groups: list[dict]):
        bands = [sum(group["bands"][index] for group in groups) for index in range(len(PRICE_BAND_BOUNDS))]
        priced = sum(group["priced"] for group in groups)
        if sum(bands) != priced:  # prices below the first band (negative): no band knows their place
            return median(self.leads, "price", count=priced)
        return median_in_bands(self.leads, "price", bounds=PRICE_BAND_BOUNDS, band_counts=bands)
