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


def postgresql_statement_triggers(
    *, prefix: str, table: str, mark_new: str, mark_old: str, mark_changed: str, truncated: str
) -> tuple[list[str], list[str]]:
    """(install, uninstall) statements of the four statement-level triggers a rollup puts on `table`.

    `mark_new` reads `new_rows`, `mark_old` `old_rows`, `mark_changed` both (after an UPDATE);
    `truncated` runs after a TRUNCATE. Functions and triggers are named `<prefix>_rollup_...`.
    """
    bodies = {"mark_new": mark_new, "mark_old": mark_old, "mark_changed": mark_changed, "truncated": truncated}
    install = [
        f"""
    CREATE FUNCTION {prefix}_rollup_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {body} RETURN NULL; END $$;
    """
        for name, body in bodies.items()
    ]
    events = {
        "insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows", "mark_new"),
        "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows", "mark_old"),
        "update": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", "mark_changed"),
        "truncate": ("TRUNCATE", "", "truncated"),
    }
    for event, (verb, referencing, function) in events.items():
        install.append(
            f"CREATE TRIGGER {prefix}_rollup_after_{event} AFTER {verb} ON {table} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_rollup_{function}()"
        )
    uninstall = [f"DROP TRIGGER IF EXISTS {prefix}_rollup_after_{event} ON {table}" for event in events]
    uninstall += [f"DROP FUNCTION IF EXISTS {prefix}_rollup_{name}()" for name in bodies]
    return install, uninstall


POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL = postgresql_statement_triggers(
    prefix="leads",
    table=LEAD,
    mark_new=_PG_MARK.format(source="new_rows"),
    mark_old=_PG_MARK.format(source="old_rows"),
    mark_changed=_PG_MARK.format(
        source=f"(SELECT old_rows.* FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id "
        f"WHERE {_PG_CHANGED} UNION ALL SELECT new_rows.* FROM old_rows JOIN new_rows "
        f"ON new_rows.id = old_rows.id WHERE {_PG_CHANGED})"
    ),
    truncated=f"DELETE FROM {ROLLUP}; DELETE FROM {TOTAL}; DELETE FROM {DIRTY};",
)


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


def sqlite_row_triggers(*, prefix: str, table: str, counted: tuple[str, ...], mark) -> tuple[list[str], list[str]]:
    """(install, uninstall) statements of the row triggers a rollup puts on a SQLite `table`.

    `mark(row)` is the statement marking "NEW" or "OLD"; an update marks both rows, and only
    when one of the `counted` columns changed.
    """
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in counted)
    install = [
        f"CREATE TRIGGER {prefix}_rollup_after_insert AFTER INSERT ON {table} BEGIN {mark('NEW')} END",
        f"CREATE TRIGGER {prefix}_rollup_after_delete AFTER DELETE ON {table} BEGIN {mark('OLD')} END",
        f"CREATE TRIGGER {prefix}_rollup_after_update AFTER UPDATE OF {', '.join(counted)} ON {table} "
        f"WHEN {changed} BEGIN {mark('OLD')} {mark('NEW')} END",
    ]
    uninstall = [f"DROP TRIGGER IF EXISTS {prefix}_rollup_after_{event}" for event in ("insert", "delete", "update")]
    return install, uninstall


SQLITE_INSTALL, SQLITE_UNINSTALL = sqlite_row_triggers(prefix="leads", table=LEAD, counted=COUNTED, mark=_sqlite_mark)


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
