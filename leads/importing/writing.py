"""Writing lead rows in bulk, set-based, through `executemany` (a C loop on SQLite, a pipeline on PostgreSQL).

- New leads: one `INSERT ... ON CONFLICT (location, source_post_id) DO UPDATE` statement for the
  batch, so a lead the scraper added meanwhile is updated, not duplicated (RETURNING gives the new
  ids on PostgreSQL; SQLite reads them back in one query).
- Changed leads: one UPDATE per set of changed fields, naming only those fields.

On PostgreSQL each is a single statement for the whole batch, its values passed as one array per
column (`unnest`), so the server parses and plans it once; SQLite runs the one-row statement
through `executemany`, a C loop in the same process.

Values are adapted with the database backend's own adapters, as the ORM would.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from leads.importing.fields import STORED_VALUE_FIELDS
from leads.importing.suppression_hook import KEY_FIELDS
from leads.models import Lead
from leads.search.models import LeadSearchText

# State keys (as `leads.importing.upsert` keeps them) in column order; updated_at is added here.
_STATE_KEYS = ("location_id", "category_id", "source_post_id", *STORED_VALUE_FIELDS, *KEY_FIELDS)
# A new lead also records the scrape run that found it (the ingest API's); a conflict never moves it.
_INSERT_KEYS = (*_STATE_KEYS, "scrape_run_id")
_CONFLICT_KEYS = ("location_id", "source_post_id")
_FOREIGN_KEYS = {"location_id": "location", "category_id": "category", "scrape_run_id": "scrape_run"}


def lead_rows_write(*, creates: list[dict], updates: list[tuple[int, dict]]) -> None:
    """Insert `creates` (full states; their "id" is filled in) and apply `updates` ((id, changed fields))."""
    if connection.vendor == "postgresql":
        _write_postgresql(creates=creates, updates=updates)
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if creates:
            cursor.executemany(_insert_sql(), [[*_adapted(state, _INSERT_KEYS), now] for state in creates])
        groups: dict[tuple[str, ...], list] = defaultdict(list)
        for pk, changes in updates:
            names = tuple(sorted(name for name in changes if name in _STATE_KEYS))
            groups[names].append([*_adapted(changes, names), now, pk])
        for names, params in groups.items():
            cursor.executemany(_update_sql(names), params)
    if creates:
        _fill_new_ids(creates)


def _write_postgresql(*, creates: list[dict], updates: list[tuple[int, dict]]) -> None:
    now = timezone.now()
    table = connection.ops.quote_name(Lead._meta.db_table)
    with connection.cursor() as cursor:
        if creates:
            columns = [_quoted(key) for key in (*_INSERT_KEYS, "updated_at")]
            conflict = [_quoted(key) for key in _CONFLICT_KEYS]
            arrays = ", ".join(f"%s::{_db_type(key)}[]" for key in _INSERT_KEYS)
            kept = (*conflict, _quoted("scrape_run_id"))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT *, %s FROM unnest({arrays}) "
                f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
                + ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column not in kept)
                + f" RETURNING {_quoted('id')}, {_quoted('location_id')}, {_quoted('source_post_id')}",
                [now, *([state.get(key) for state in creates] for key in _INSERT_KEYS)],
            )
            by_key = {(state["location_id"], state["source_post_id"]): state for state in creates}
            for pk, location_id, post_id in cursor.fetchall():
                by_key[(location_id, post_id)]["id"] = pk
        groups: dict[tuple[str, ...], list] = defaultdict(list)
        for pk, changes in updates:
            groups[tuple(sorted(name for name in changes if name in _STATE_KEYS))].append((pk, changes))
        for names, rows in groups.items():
            arrays = ", ".join(f"%s::{_db_type(key)}[]" for key in ("id", *names))
            assignments = ", ".join(f"{_quoted(key)} = changed.{_quoted(key)}" for key in names)
            cursor.execute(
                f"UPDATE {table} SET {assignments}, {_quoted('updated_at')} = %s "
                f"FROM unnest({arrays}) AS changed({', '.join(_quoted(key) for key in ('id', *names))}) "
                f"WHERE {table}.{_quoted('id')} = changed.{_quoted('id')}",
                [now, [pk for pk, _ in rows], *([changes[key] for _, changes in rows] for key in names)],
            )


@contextmanager
def lead_bulk_transaction():
    """A transaction for a big write (a file import): on PostgreSQL, the trigram indexes' entries are gathered.

    Every lead whose searched texts change (leads.search: a status change alone writes none) adds an
    entry per trigram of its texts to each GIN index's pending list, which PostgreSQL merges into
    the index whenever the list passes 4 MB, with 4 MB of memory. Inside this transaction the list
    may grow to BULK_GIN_PENDING and is merged with as much memory, far fewer times, and once at the
    end (`gin_clean_pending_list`), so searches after the import never scan a long pending list.
    Both settings end with the transaction.
    """
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [BULK_GIN_PENDING])
            cursor.execute("SELECT set_config('work_mem', %s, true)", [BULK_GIN_PENDING])
        yield
        if transaction.get_rollback():
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(index.indexrelid) FROM pg_index index "
                "JOIN pg_class class ON class.oid = index.indexrelid JOIN pg_am am ON am.oid = class.relam "
                "WHERE index.indrelid = %s::regclass AND am.amname = 'gin' AND pg_has_role(class.relowner, 'USAGE')",
                [LeadSearchText._meta.db_table],
            )


BULK_GIN_PENDING = "64MB"


def _db_type(key: str) -> str:
    field = _field(key)
    return field.target_field.db_type(connection) if field.is_relation else field.db_type(connection)


def _field(key: str):
    return Lead._meta.get_field(_FOREIGN_KEYS.get(key, key))


def _quoted(key: str) -> str:
    return connection.ops.quote_name(_field(key).column)


def _insert_sql() -> str:
    columns = [_quoted(key) for key in (*_INSERT_KEYS, "updated_at")]
    conflict = [_quoted(key) for key in _CONFLICT_KEYS]
    updates = [column for column in columns if column not in (*conflict, _quoted("scrape_run_id"))]
    return (
        f"INSERT INTO {connection.ops.quote_name(Lead._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
        + ", ".join(f"{column} = EXCLUDED.{column}" for column in updates)
    )


def _update_sql(names: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{_quoted(key)} = %s" for key in (*names, "updated_at"))
    return f"UPDATE {connection.ops.quote_name(Lead._meta.db_table)} SET {assignments} WHERE {_quoted('id')} = %s"


def _adapted(values: dict, keys) -> list:
    ops = connection.ops
    cells = []
    for key in keys:
        value = values.get(key)
        if value is not None:
            kind = _KINDS.get(key)
            if kind == "datetime":
                value = ops.adapt_datetimefield_value(value)
            elif kind == "decimal":
                field = _field(key)
                value = ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        cells.append(value)
    return cells


_KINDS = {
    key: {"DateTimeField": "datetime", "DecimalField": "decimal"}.get(_field(key).get_internal_type())
    for key in _INSERT_KEYS
}


def _fill_new_ids(states: list[dict]) -> None:
    new = {(state["location_id"], state["source_post_id"]): state for state in states if state.get("id") is None}
    found = Lead.objects.filter(
        location_id__in={location for location, _ in new}, source_post_id__in={post for _, post in new}
    ).values_list("id", "location_id", "source_post_id")
    for pk, location_id, post_id in found:
        state = new.get((location_id, post_id))
        if state is not None:
            state["id"] = pk
