"""Write demo rows to the database in bulk: COPY on PostgreSQL, executemany elsewhere.

No per-row queries and no model instances for leads: rows arrive as tuples in
chunks, so memory stays flat whatever the number of leads.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

from leads.demo_data.content import CATEGORIES, SITES
from leads.demo_data.planning import RunPlan
from leads.demo_data.posts import LEAD_FIELDS
from leads.models import Category, Lead, LeadSearchText, Location, ScrapeRun


def reference_rows_ensure() -> tuple[list[int], list[int], int, int]:
    """Create the demo sites and categories that are missing, keyed by their codes.

    Returns the location ids (in `SITES` order), the category ids (in
    `CATEGORIES` order) and how many of each were created.
    """
    locations = {location.site_code: location for location in Location.objects.all()}
    new_locations = [
        Location(name=site.name, site_code=site.site_code, region=site.region)
        for site in SITES
        if site.site_code not in locations
    ]
    categories = {category.code: category for category in Category.objects.all()}
    new_categories = [
        Category(name=content.name, code=content.code) for content in CATEGORIES if content.code not in categories
    ]
    Location.objects.bulk_create(new_locations)
    Category.objects.bulk_create(new_categories)
    location_ids = dict(Location.objects.values_list("site_code", "pk"))
    category_ids = dict(Category.objects.values_list("code", "pk"))
    return (
        [location_ids[site.site_code] for site in SITES],
        [category_ids[content.code] for content in CATEGORIES],
        len(new_locations),
        len(new_categories),
    )


def runs_insert(
    *, plans: Sequence[RunPlan], location_ids: Sequence[int], category_ids: Sequence[int], batch_size: int
) -> list[int | None]:
    """Store the runs that were not pruned; returns each plan's run id (None when pruned)."""
    runs = [
        ScrapeRun(
            location_id=location_ids[plan.site_index],
            category_id=category_ids[plan.category_index],
            started_at=plan.started_at,
            finished_at=plan.finished_at,
            status=plan.status,
            pages_fetched=plan.pages_fetched,
            leads_found=plan.leads_found,
            leads_new=plan.leads_new,
            leads_duplicate=plan.leads_duplicate,
            error=plan.error,
        )
        for plan in plans
        if not plan.pruned
    ]
    # PostgreSQL and SQLite (3.35+) both return the new primary keys from a bulk insert.
    stored = iter(ScrapeRun.objects.bulk_create(runs, batch_size=batch_size))
    return [None if plan.pruned else next(stored).pk for plan in plans]


def leads_write(*, chunks: Iterable[list[tuple]], on_chunk: Callable[[int], None]) -> int:
    """Insert every chunk of lead rows; calls `on_chunk(rows_in_chunk)` after each one."""
    fields = [Lead._meta.get_field(name) for name in LEAD_FIELDS]
    table = connection.ops.quote_name(Lead._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One COPY stream for everything: several times faster than INSERTs, and the
            # server stores rows while Python generates the next ones.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for chunk in chunks:
                    for row in chunk:
                        copy.write_row(row)
                    written += len(chunk)
                    on_chunk(len(chunk))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            for chunk in chunks:
                cursor.executemany(statement, [_adapted(row, fields) for row in chunk])
                written += len(chunk)
                on_chunk(len(chunk))
    return written


def _adapted(row: tuple, fields) -> tuple:
    # What the ORM does before saving: e.g. aware datetimes become naive UTC text on SQLite.
    return tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))


def lead_row_estimate() -> int:
    """Roughly how many leads are stored, without counting them (PostgreSQL statistics; exact elsewhere)."""
    if connection.vendor != "postgresql":
        return Lead.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Lead._meta.db_table])
        estimate = cursor.fetchone()[0]
    # -1 means "never analyzed": count then, it is the first load anyway or a small table.
    return estimate if estimate >= 0 else Lead.objects.count()


@contextmanager
def lead_indexes_deferred(*, on_message: Callable[[str], None]) -> Iterator[None]:
    """Drop the plain indexes of the lead table and its search table on PostgreSQL, run the block, then build them.

    Building an index once is several times cheaper than updating it row by
    row, the trigram GIN indexes above all. Indexes that back a constraint
    (primary key, one post per location) stay and keep checking. Must run in
    the caller's transaction: if anything fails, the rollback restores the
    dropped indexes. The lead table is locked against other sessions until commit.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
            FROM pg_index AS index
            WHERE index.indrelid IN (%s::regclass, %s::regclass)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = index.indexrelid)
            ORDER BY 1
            """,
            [Lead._meta.db_table, LeadSearchText._meta.db_table],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX {name}")
    yield
    on_message(f"Building {len(definitions)} lead indexes...")
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred: their checks queued by the load must run before
        # PostgreSQL allows CREATE INDEX on the table.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in definitions:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def statistics_refresh() -> None:
    """Refresh the planner statistics after a bulk load so the first queries get good plans.

    The small tables matter too: autovacuum never analyzes a table of a dozen
    rows, and without statistics the planner misjudges filters that join them.
    """
    models = (Lead, ScrapeRun, Location, Category)
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables.append(connection.ops.quote_name(LeadSearchText._meta.db_table))
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def visibility_refresh() -> None:
    """VACUUM the freshly loaded lead and run tables (PostgreSQL, outside a transaction only).

    A bulk load leaves the visibility map empty, so index-only scans (the dashboard's
    counts by status and day) would read the whole heap until autovacuum gets there.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Lead, ScrapeRun)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
