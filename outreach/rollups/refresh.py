"""Keeping the message rollups current: they follow the lead rollups' refresh (leads.rollups.followers).

The lead triggers mark the lead keys of changed leads; the message triggers
(outreach.rollups.triggers) mark the ids of the leads whose messages changed, which
a reader turns into lead keys in the lead rollups' dirty table (`_marks_take`)
before the lead refresh. That refresh recomputes the dirty ranges' lead cells and
hands the ranges to `MessageRollups.refresh`, in its transaction and under its
lock. So a lead's new status reaches the figures of its messages (`converted`
depends on it) without any work for the lead writer beyond the lead trigger it
already pays.
"""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from leads.rollups import rollups_current
from leads.rollups.cells import local_day_start
from leads.rollups.followers import Range
from leads.rollups.refresh import ONE_DAY, RANGES_PER_STATEMENT, rollups_lock
from leads.rollups.triggers import DIRTY, LEAD
from outreach.models import AutoResponse
from outreach.rollups.cells import cells_insert, totals_add, totals_prune
from outreach.rollups.models import MessageDailyRollup, MessageRollupDirty, MessageRollupState, MessageTotalRollup
from outreach.rollups.triggers import MARKS

logger = logging.getLogger("outreach.rollups")

# From this many ranges one pass over every message is cheaper than range-by-range work
# (1,000,000 leads, 240,000 messages on PostgreSQL: 730 ranges took 3.3 s, a rebuild 2.6 s).
REBUILD_FROM = 2 * RANGES_PER_STATEMENT


class MessageRollups:
    """The message rollups as a follower of the lead rollups."""

    name = "outreach.messages"

    def prepare(self) -> None:
        message_rollups_prepare()

    def rebuild(self) -> int:
        MessageRollupDirty.objects.all().delete()  # everything is recomputed; later marks stay
        MessageDailyRollup.objects.all().delete()
        MessageTotalRollup.objects.all().delete()
        cells = cells_insert(AutoResponse.objects.all())
        totals_add(MessageDailyRollup.objects.all())
        MessageRollupState.objects.all().delete()
        MessageRollupState.objects.create(time_zone=settings.TIME_ZONE, rebuilt_at=timezone.now())
        logger.info("message rollups rebuilt cells=%d", cells)
        return cells

    def refresh(self, ranges: list[Range]) -> int:
        if not MessageRollupState.objects.exists():
            return 0  # never built: the first reader rebuilds them (message_rollups_current)
        if len(ranges) >= REBUILD_FROM:
            return self.rebuild()
        cells = 0
        for start in range(0, len(ranges), RANGES_PER_STATEMENT):
            stored, found = Q(), Q()
            for location_id, category_id, first, last in ranges[start : start + RANGES_PER_STATEMENT]:
                stored |= Q(location_id=location_id, category_id=category_id, day__gte=first, day__lte=last)
                found |= Q(
                    lead__location_id=location_id,
                    lead__category_id=category_id,
                    lead__scraped_at__gte=local_day_start(first),
                    lead__scraped_at__lt=local_day_start(last + ONE_DAY),
                )
            replaced = MessageDailyRollup.objects.filter(stored)
            totals_add(replaced, sign=-1)
            replaced.delete()
            written = cells_insert(AutoResponse.objects.filter(found))
            if written:
                totals_add(MessageDailyRollup.objects.filter(stored))
            cells += written
        totals_prune()
        return cells


def message_rollups_current() -> bool:
    """Make the lead and message rollups current (built in this time zone); False where unsupported."""
    built = message_rollups_prepare()
    return rollups_current() and message_rollups_build(built=built)


def message_rollups_prepare() -> bool:
    """Hand the marks of changed messages to the lead refresh; True when the rollups were built in this time zone.

    One query when nothing changed. Call before the lead rollups are made current.
    """
    state, marks = (
        connection.ops.quote_name(model._meta.db_table) for model in (MessageRollupState, MessageRollupDirty)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {state} WHERE time_zone = %s), EXISTS (SELECT 1 FROM {marks})",
            [settings.TIME_ZONE],
        )
        built, marked = cursor.fetchone()
    if marked and built:  # unbuilt, the rebuild to come recomputes every message and drops the marks
        _marks_take()
    return bool(built)


def message_rollups_build(*, built: bool) -> bool:
    """Build the message rollups unless `built` (the lead rollups must be current); True."""
    if not built:
        with transaction.atomic():
            rollups_lock()
            if not MessageRollupState.objects.filter(time_zone=settings.TIME_ZONE).exists():
                MessageRollups().rebuild()
    return True


_UTC_DAY = {"postgresql": "(leads.scraped_at AT TIME ZONE 'UTC')::date", "sqlite": "substr(leads.scraped_at, 1, 10)"}


def _marks_take() -> None:
    """Turn the marked leads into the lead rollups' dirty keys, taking only the marks this statement deletes.

    PostgreSQL does both in one statement (marks committed meanwhile stay for the next reader);
    SQLite holds its write lock from the first statement to the commit.
    """
    day = _UTC_DAY[connection.vendor]
    keys = f"INSERT INTO {DIRTY} (utc_day, location_id, category_id) SELECT DISTINCT {day}, leads.location_id, "
    keys += f"leads.category_id FROM {LEAD} AS leads WHERE leads.id IN (SELECT lead_id FROM {{taken}})"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH taken AS (DELETE FROM {MARKS} RETURNING lead_id) {keys.format(taken='taken')}")
        else:
            cursor.execute(keys.format(taken=MARKS))
            cursor.execute(f"DELETE FROM {MARKS}")
