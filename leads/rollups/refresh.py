"""Keeping the rollups current: refresh the keys the triggers marked, or rebuild everything.

`rollups_refresh()` is the one service every reader and every bulk writer
calls; the triggers (leads.rollups.triggers) have already recorded what
changed, so a writer never needs to say which leads it touched. The refresh
runs in one transaction, serialized against other refreshes (an advisory lock
on PostgreSQL, SQLite's write lock), and is a no-op when nothing is dirty.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Q
from django.utils import timezone

from leads.models import Lead
from leads.rollups.cells import cells_insert, local_day_start, local_days
from leads.rollups.models import LeadDailyRollup, LeadRollupDirty, LeadRollupState

logger = logging.getLogger("leads.rollups")

# Beyond this many dirty keys one pass over every lead is cheaper than key-by-key work.
FULL_REBUILD_FROM = 2_000
SUPPORTED_VENDORS = ("postgresql", "sqlite")
_LOCK_KEY = 7_400_512_001  # any constant: the PostgreSQL advisory lock of the refresh


@dataclass(frozen=True)
class RefreshResult:
    rebuilt: bool
    keys: int
    cells: int
    seconds: float


def rollups_supported() -> bool:
    """Rollups exist where their triggers do: PostgreSQL and SQLite."""
    return connection.vendor in SUPPORTED_VENDORS


def rollups_current() -> bool:
    """Make the rollups current if they are not (one query when they are); False where unsupported."""
    if not rollups_supported():
        return False
    dirty = LeadRollupDirty.objects.all()
    state = LeadRollupState.objects.annotate(dirty=Exists(dirty)).order_by("pk").first()
    if state is None or state.dirty or state.time_zone != settings.TIME_ZONE:
        rollups_refresh()
    return True


def rollups_refresh(*, rebuild: bool = False) -> RefreshResult:
    """Recompute the rollup cells of every lead that changed since the last refresh.

    Rebuilds everything instead when asked, when the rollups were never built,
    when they were built in another time zone (TIME_ZONE changed) or when
    more than FULL_REBUILD_FROM keys are dirty.
    """
    started = timezone.now()
    with transaction.atomic():
        _lock()
        state = LeadRollupState.objects.order_by("pk").first()
        if rebuild or state is None or state.time_zone != settings.TIME_ZONE:
            return _rebuild(state, started)
        keys = _dirty_keys_take()
        if len(keys) >= FULL_REBUILD_FROM:
            return _rebuild(state, started)
        cells = 0
        for (location_id, category_id), days in _local_days_by_pair(keys).items():
            cells += _pair_refresh(location_id, category_id, days)
        state.refreshed_at = timezone.now()
        state.save(update_fields=["refreshed_at"])
    result = RefreshResult(rebuilt=False, keys=len(keys), cells=cells, seconds=_since(started))
    if keys:
        logger.info("rollups refreshed keys=%d cells=%d seconds=%.3f", result.keys, result.cells, result.seconds)
    return result


def _lock() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        else:
            # A write takes SQLite's database lock now, so a second refresh waits here rather than racing.
            cursor.execute(f"UPDATE {LeadRollupState._meta.db_table} SET id = id")


def _rebuild(state: LeadRollupState | None, started: datetime.datetime) -> RefreshResult:
    LeadRollupDirty.objects.all().delete()
    LeadDailyRollup.objects.all().delete()
    cells = cells_insert(Lead.objects.all())
    now = timezone.now()
    state = state or LeadRollupState()
    state.time_zone, state.rebuilt_at, state.refreshed_at = settings.TIME_ZONE, now, now
    state.save()
    result = RefreshResult(rebuilt=True, keys=0, cells=cells, seconds=_since(started))
    logger.info("rollups rebuilt cells=%d seconds=%.3f", result.cells, result.seconds)
    return result


def _dirty_keys_take() -> set[tuple[datetime.date, int, int]]:
    """Delete the dirty marks this transaction can see and return their distinct keys.

    Marks a concurrent writer has not committed yet stay for the next refresh.
    """
    table = connection.ops.quote_name(LeadRollupDirty._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} RETURNING utc_day, location_id, category_id")
        rows = cursor.fetchall()
    return {(_as_date(day), location_id, category_id) for day, location_id, category_id in rows}


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def _local_days_by_pair(keys) -> dict[tuple[int, int], set[datetime.date]]:
    days: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
    for utc_day, location_id, category_id in keys:
        first, last = local_days(utc_day)
        while first <= last:
            days[(location_id, category_id)].add(first)
            first += datetime.timedelta(days=1)
    return days


def _pair_refresh(location_id: int, category_id: int, days: set[datetime.date]) -> int:
    """Replace the cells of one location and category on `days` with fresh ones from the leads."""
    LeadDailyRollup.objects.filter(location_id=location_id, category_id=category_id, day__in=days).delete()
    found = Q()
    for first, last in _runs(sorted(days)):
        found |= Q(scraped_at__gte=local_day_start(first), scraped_at__lt=local_day_start(last + datetime.timedelta(1)))
    return cells_insert(Lead.objects.filter(found, location_id=location_id, category_id=category_id))


def _runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days merged into (first, last) ranges, so the lead query has few conditions."""
    runs: list[list[datetime.date]] = []
    for day in days:
        if runs and day - runs[-1][1] == datetime.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def _since(started: datetime.datetime) -> float:
    return (timezone.now() - started).total_seconds()
