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
from leads.rollups.followers import rollup_followers
from leads.rollups.models import LeadDailyRollup, LeadRollupDirty, LeadRollupState
from leads.rollups.totals import totals_rebuild, totals_refresh

logger = logging.getLogger("leads.rollups")

# Beyond this many dirty keys one pass over every lead is cheaper than key-by-key work.
FULL_REBUILD_FROM = 2_000
# Conditions per statement: SQLite limits an expression's depth to 1,000.
RANGES_PER_STATEMENT = 200
SUPPORTED_VENDORS = ("postgresql", "sqlite")
ONE_DAY = datetime.timedelta(days=1)
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
        rollups_lock()
        state = LeadRollupState.objects.order_by("pk").first()
        if rebuild or state is None or state.time_zone != settings.TIME_ZONE:
            return _rebuild(state, started)
        for follower in rollup_followers():
            follower.prepare()
        keys = _dirty_keys_take()
        if len(keys) >= FULL_REBUILD_FROM:
            return _rebuild(state, started)
        cells = _ranges_refresh(_ranges(keys))
        state.refreshed_at = timezone.now()
        state.save(update_fields=["refreshed_at"])
    result = RefreshResult(rebuilt=False, keys=len(keys), cells=cells, seconds=_since(started))
    if keys:
        logger.info("rollups refreshed keys=%d cells=%d seconds=%.3f", result.keys, result.cells, result.seconds)
    return result


def rollups_lock() -> None:
    """Serialize against every refresh until the transaction ends (a follower rebuilding alone takes it too)."""
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
    totals_rebuild()
    for follower in rollup_followers():
        follower.rebuild()
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


def _ranges(keys) -> list[tuple[int, int, datetime.date, datetime.date]]:
    """(location, category, first local day, last local day) ranges covering the dirty keys, merged."""
    days: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
    for utc_day, location_id, category_id in keys:
        first, last = local_days(utc_day)  # two local days, three across a short DST day
        while first <= last:
            days[(location_id, category_id)].add(first)
            first += ONE_DAY
    ranges = []
    for (location_id, category_id), pair_days in sorted(days.items()):
        for first, last in _runs(sorted(pair_days)):
            ranges.append((location_id, category_id, first, last))
    return ranges


def _ranges_refresh(ranges: list[tuple[int, int, datetime.date, datetime.date]]) -> int:
    """Replace the cells of the ranges with fresh ones from the leads: one DELETE and one INSERT per batch."""
    cells = 0
    for start in range(0, len(ranges), RANGES_PER_STATEMENT):
        stored, found = Q(), Q()
        for location_id, category_id, first, last in ranges[start : start + RANGES_PER_STATEMENT]:
            pair = Q(location_id=location_id, category_id=category_id)
            stored |= pair & Q(day__gte=first, day__lte=last)
            found |= pair & Q(scraped_at__gte=local_day_start(first), scraped_at__lt=local_day_start(last + ONE_DAY))
        LeadDailyRollup.objects.filter(stored).delete()  # one DELETE: nothing refers to rollup rows
        cells += cells_insert(Lead.objects.filter(found))
    # The pairs' totals from their fresh daily cells (a spec without dates reads those).
    totals_refresh({(location_id, category_id) for location_id, category_id, _, _ in ranges})
    if ranges:
        for follower in rollup_followers():
            follower.refresh(ranges)
    return cells


def _runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days merged into (first, last) ranges, so the statements have few conditions."""
    runs: list[list[datetime.date]] = []
    for day in days:
        if runs and day - runs[-1][1] <= ONE_DAY:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def _since(started: datetime.datetime) -> float:
    return (timezone.now() - started).total_seconds()
