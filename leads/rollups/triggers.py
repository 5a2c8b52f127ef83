"""Database triggers that mark the rollup keys of every changed lead as dirty.

A trigger cannot be forgotten by a new write path: inserts, updates and
deletions through the ORM, bulk_create, QuerySet.update(), COPY and raw SQL
all mark the (UTC day, location, category) of the old and the new row.
The UTC day keeps the triggers free of time-zone rules; the refresh turns it
into the local days it overlaps. Only changes to the columns the rollups
count (found time, location, category, status, e-mail, phone, price) mark a key.

PostgreSQL uses statement-level triggers with transition tables (one INSERT
per statement, however many rows it touched); SQLite, which has only row
triggers, skips keys already marked. No unique index: concurrent writers
never wait for each other on a shared key.
"""

LEAD = "leads_lead"
DIRTY = "leads_leadrollupdirty"
ROLLUP = "leads_leaddailyrollup"
TOTAL = "leads_leadtotalrollup"
COUNTED = ("scraped_at", "location_id", "category_id", "status", "email", "phone", "price")

_PG_KEY = "(rows.scraped_at AT TIME ZONE 'UTC')::date, rows.location_id, rows.category_id"
_PG_MARK = f"""
    INSERT INTO {DIRTY} (utc_day, location_id, category_id)
    SELECT DISTINCT {_PG_KEY} FROM {{source}} AS rows
    WHERE NOT EXISTS (
        SELECT 1 FROM {DIRTY} AS dirty
        WHERE dirty.utc_day = (rows.scraped_at AT TIME ZONE 'UTC')::date
          AND dirty.location_id = rows.location_id AND dirty.category_id = rows.category_id
    );
"""
_PG_CHANGED = " OR ".join(f"old_rows.{column} IS DISTINCT FROM new_rows.{column}" for column in COUNTED)

POSTGRESQL_INSTALL = [
    f"""
    CREATE FUNCTION leads_rollup_mark_new() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_PG_MARK.format(source="new_rows")} RETURN NULL; END $$;
    """,
    f"""
    CREATE FUNCTION leads_rollup_mark_old() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_PG_MARK.format(source="old_rows")} RETURN NULL; END $$;
    """,
    f"""
    CREATE FUNCTION leads_rollup_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
    {
        _PG_MARK.format(
            source=f"(SELECT old_rows.* FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id "
            f"WHERE {_PG_CHANGED} UNION ALL SELECT new_rows.* FROM old_rows JOIN new_rows "
            f"ON new_rows.id = old_rows.id WHERE {_PG_CHANGED})"
        )
    }
    RETURN NULL; END $$;
    """,
    f"""
    CREATE FUNCTION leads_rollup_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM {ROLLUP}; DELETE FROM {TOTAL}; DELETE FROM {DIRTY}; RETURN NULL; END $$;
    """,
    f"""CREATE TRIGGER leads_rollup_after_insert AFTER INSERT ON {LEAD}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_rollup_mark_new()""",
    f"""CREATE TRIGGER leads_rollup_after_delete AFTER DELETE ON {LEAD}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_rollup_mark_old()""",
    f"""CREATE TRIGGER leads_rollup_after_update AFTER UPDATE ON {LEAD}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_rollup_mark_changed()""",
    f"""CREATE TRIGGER leads_rollup_after_truncate AFTER TRUNCATE ON {LEAD}
    FOR EACH STATEMENT EXECUTE FUNCTION leads_rollup_truncated()""",
]
POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS leads_rollup_after_insert ON {LEAD}",
    f"DROP TRIGGER IF EXISTS leads_rollup_after_delete ON {LEAD}",
    f"DROP TRIGGER IF EXISTS leads_rollup_after_update ON {LEAD}",
    f"DROP TRIGGER IF EXISTS leads_rollup_after_truncate ON {LEAD}",
    "DROP FUNCTION IF EXISTS leads_rollup_mark_new()",
    "DROP FUNCTION IF EXISTS leads_rollup_mark_old()",
    "DROP FUNCTION IF EXISTS leads_rollup_mark_changed()",
    "DROP FUNCTION IF EXISTS leads_rollup_truncated()",
]


def _sqlite_mark(row: str) -> str:
    # Django stores SQLite datetimes as UTC text ("YYYY-MM-DD HH:MM:SS..."): the first ten characters are the day.
    day = f"substr({row}.scraped_at, 1, 10)"
    return f"""
    INSERT INTO {DIRTY} (utc_day, location_id, category_id)
    SELECT {day}, {row}.location_id, {row}.category_id
    WHERE NOT EXISTS (
        SELECT 1 FROM {DIRTY} WHERE utc_day = {day}
          AND location_id = {row}.location_id AND category_id = {row}.category_id
    );"""


_SQLITE_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED)

SQLITE_INSTALL = [
    f"""CREATE TRIGGER leads_rollup_after_insert AFTER INSERT ON {LEAD}
    BEGIN {_sqlite_mark("NEW")} END""",
    f"""CREATE TRIGGER leads_rollup_after_delete AFTER DELETE ON {LEAD}
    BEGIN {_sqlite_mark("OLD")} END""",
    f"""CREATE TRIGGER leads_rollup_after_update AFTER UPDATE OF {", ".join(COUNTED)} ON {LEAD}
    WHEN {_SQLITE_CHANGED}
    BEGIN {_sqlite_mark("OLD")} {_sqlite_mark("NEW")} END""",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS leads_rollup_after_insert",
    "DROP TRIGGER IF EXISTS leads_rollup_after_delete",
    "DROP TRIGGER IF EXISTS leads_rollup_after_update",
]


def statements_run(schema_editor, by_vendor: dict[str, list[str]]) -> None:
    """Execute the statements of the connection's vendor (none for vendors without rollups)."""
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def triggers_install(schema_editor) -> None:
    """Create the triggers on the connection's database (PostgreSQL or SQLite; others get none)."""
    statements_run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def triggers_uninstall(schema_editor) -> None:
    statements_run(schema_editor, {"postgresql": POSTGRESQL_UNINSTALL, "sqlite": SQLITE_UNINSTALL})


def sqlite_triggers_reinstall(using: str, *, table: str, install, uninstall) -> None:
    """Run `uninstall` then `install` on a SQLite database that has `table` (a table of the triggers' migration)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite" or table not in connection.introspection.table_names():
        return
    with connection.schema_editor() as schema_editor:
        uninstall(schema_editor)
        install(schema_editor)


def triggers_reinstall_after_migrate(*, using: str, **kwargs) -> None:
    """Put the triggers back after `migrate` (a post_migrate receiver).

    SQLite has no ALTER COLUMN: a later migration that alters or adds a lead column rebuilds the
    table, and the rebuilt table has no triggers. Reinstalling after every migrate keeps the rollups
    counting whatever the migrations did; nothing is installed while the rollup tables are absent
    (a database migrated back before them).
    """
    sqlite_triggers_reinstall(using, table=DIRTY, install=triggers_install, uninstall=triggers_uninstall)
