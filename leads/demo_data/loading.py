"""Write demo rows to the database in bulk: COPY on PostgreSQL, executemany elsewhere.

No per-row queries and no model instances for leads: rows arrive as tuples in
chunks, so memory stays flat whatever the number of leads.
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection

from leads.demo_data.content import CATEGORIES, SITES
from leads.demo_data.planning import RunPlan
from leads.demo_data.posts import LEAD_FIELDS
from leads.models import Category, Lead, Location, ScrapeRun


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
            # COPY is several times faster than multi-row INSERTs on PostgreSQL.
            statement = f"COPY {table} ({columns}) FROM STDIN"
            for chunk in chunks:
                with cursor.copy(statement) as copy:
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


def statistics_refresh() -> None:
    """Refresh the planner statistics after a bulk load so the first queries get good plans."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Lead, ScrapeRun)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
