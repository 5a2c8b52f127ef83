"""Trigram indexes for the spec's case-insensitive text filters, on PostgreSQL only.

`keywords`, `exclude_keywords` and the `q` search compile to
`UPPER(column) LIKE UPPER('%word%')`; a GIN index on `UPPER(column)` with
pg_trgm's operator class answers those without reading the whole table. The
indexes are built CONCURRENTLY so a live table stays writable, hence the
non-atomic migration. Other databases skip these operations. Reversing drops
the indexes but keeps the pg_trgm extension, which other objects may use.
"""

from django.db import migrations

TRIGRAM_COLUMNS = ("title", "description", "contact_name", "email", "phone")


def _index_name(column: str) -> str:
    return f"lead_{column}_trgm_idx"


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("leads", "Lead")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(_index_name(column))} "
            f"ON {table} USING gin (UPPER({schema_editor.quote_name(column)}) gin_trgm_ops)"
        )
    # Statistics on the indexed expressions let the planner estimate LIKE filters.
    schema_editor.execute(f"ANALYZE {table}")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(_index_name(column))}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("leads", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
