"""The demo seed service: sites, categories, scrape runs and leads, reproducible from a seed."""

import datetime
import random
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from leads.demo_data import loading
from leads.demo_data.planning import runs_plan
from leads.demo_data.posts import lead_rows
from leads.duplicates.grouping import duplicates_find
from leads.models import Lead
from leads.rollups import rollups_refresh, rollups_supported

DEFAULT_SEED = 42
DEFAULT_BATCH_SIZE = 10_000
LEADS_PER_RUN = 100
REBUILD_INDEXES_FROM = 100_000
# Larger seeds leave the duplicate groups to `manage.py find_duplicates` (minutes per 100,000 leads).
DUPLICATES_AT_ONCE_UP_TO = 20_000


@dataclass(frozen=True)
class SeedResult:
    skipped: bool
    existing_leads: int = 0
    locations_created: int = 0
    categories_created: int = 0
    runs: int = 0
    leads: int = 0
    seconds: float = 0.0


def default_run_count(leads: int) -> int:
    return max(1, leads // LEADS_PER_RUN) if leads else 0


def demo_data_seed(
    *,
    leads: int,
    runs: int | None = None,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH_SIZE,
    if_empty: bool = False,
    now: datetime.datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_message: Callable[[str], None] | None = None,
) -> SeedResult:
    """Add `leads` demo leads and `runs` scrape runs (default: one per 100 leads).

    The same seed gives the same data; times are offsets from `now` (default:
    the current time) so the dashboard always has recent leads. With
    `if_empty`, nothing happens when any lead exists. `on_progress(done,
    total)` is called after each batch of leads, `on_message(text)` at other
    long steps. All or nothing: one transaction.

    On PostgreSQL, a load of REBUILD_INDEXES_FROM leads or more that at least
    doubles the table drops the lead indexes and builds them afterwards, which
    locks the lead table for the duration of the seed.
    """
    if leads < 0 or (runs is not None and runs < 0) or batch_size < 1:
        raise ValueError("leads and runs must be zero or more, batch_size at least 1.")
    if if_empty and Lead.objects.exists():
        return SeedResult(skipped=True, existing_leads=Lead.objects.count())
    started = time.monotonic()
    now = now or timezone.now()
    runs = default_run_count(leads) if runs is None else runs
    # Separate streams, so the runs do not change when only the lead generation does.
    plans = runs_plan(rng=random.Random(f"{seed}:runs"), runs=runs, leads=leads, now=now)

    with transaction.atomic():
        location_ids, category_ids, locations_created, categories_created = loading.reference_rows_ensure()
        run_ids = loading.runs_insert(
            plans=plans, location_ids=location_ids, category_ids=category_ids, batch_size=batch_size
        )
        rows = lead_rows(
            rng=random.Random(f"{seed}:leads"),
            plans=plans,
            location_ids=location_ids,
            category_ids=category_ids,
            run_ids=run_ids,
            now=now,
            first_post_index=Lead.objects.aggregate(last=Max("pk"))["last"] or 0,
            repost_rng=random.Random(f"{seed}:reposts"),
        )
        done = 0

        def chunk_written(size: int) -> None:
            nonlocal done
            done += size
            if on_progress:
                on_progress(done, leads)

        # Rebuilding the indexes once beats updating them per row when the load at least doubles the table.
        rebuild = (
            connection.vendor == "postgresql" and leads >= REBUILD_INDEXES_FROM and leads >= loading.lead_row_estimate()
        )
        indexes = loading.lead_indexes_deferred(on_message=on_message or _ignore) if rebuild else nullcontext()
        with indexes:
            written = loading.leads_write(chunks=_chunks(rows, batch_size), on_chunk=chunk_written)
        loading.statistics_refresh()
    if rebuild:
        loading.visibility_refresh()
    demo_suppressions_add()
    if written <= DUPLICATES_AT_ONCE_UP_TO:
        (on_message or _ignore)("Finding duplicate leads...")
        duplicates_find()
    else:
        (on_message or _ignore)("Run `manage.py find_duplicates` to group the duplicate leads.")
    if rollups_supported():
        # The triggers marked every new lead; refreshing now spares the first dashboard view the work.
        (on_message or _ignore)("Refreshing the lead rollups...")
        rollups_refresh()
    return SeedResult(
        skipped=False,
        locations_created=locations_created,
        categories_created=categories_created,
        runs=sum(1 for run_id in run_ids if run_id is not None),
        leads=written,
        seconds=time.monotonic() - started,
    )


def demo_data_settle() -> None:
    """After every app added its demo data (demo_data_seeded): rollups current, planner statistics fresh.

    The apps' demo data comes after the lead load: demo rules change lead statuses (marking rollup
    keys dirty) and outreach writes a message for every fourth lead into a table nothing analysed,
    so without this the first dashboard view paid a rollup refresh and got plans made for an
    empty message table (5 s statement timeouts at 1,000,000 leads).
    """
    if rollups_supported():
        rollups_refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


def demo_suppressions_add(*, people: int = 25) -> int:
    """Put a few demo people on the do-not-contact list (every reason), so the list and its badge show."""
    from leads.models import Lead, SuppressionKind, SuppressionReason
    from leads.suppression import suppress_keys

    keys = list(
        Lead.objects.exclude(email_key="").order_by("pk").values_list("email_key", flat=True)[: people * 40 : 40]
    )
    reasons = list(SuppressionReason.values)
    for index, key in enumerate(keys):
        suppress_keys([(SuppressionKind.EMAIL, key)], reason=reasons[index % len(reasons)])
    return len(keys)


def _ignore(message: str) -> None:
    pass


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while chunk := list(islice(rows, size)):
        yield chunk
