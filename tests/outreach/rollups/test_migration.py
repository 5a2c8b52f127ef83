"""Migration outreach 0003 (message rollups) is reversible: back, the tables and triggers are gone; forward, back."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from outreach.rollups.triggers import MESSAGE, ROLLUP, TOTAL

BEFORE = [("outreach", "0002_auto_response_spelling")]
AFTER = [("outreach", "0003_message_rollups")]
TRIGGERS = {"outreach_rollup_after_insert", "outreach_rollup_after_delete", "outreach_rollup_after_update"}


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def message_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [MESSAGE])
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [MESSAGE])
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_message_rollup_migration_goes_back_and_forth():
    assert message_triggers() >= TRIGGERS
    try:
        migrate(BEFORE)
        tables = set(connection.introspection.table_names())
        assert not tables & {ROLLUP, TOTAL, "outreach_messagerollupstate"}
        assert not message_triggers() & TRIGGERS

        migrate(AFTER)
        assert {ROLLUP, TOTAL} <= set(connection.introspection.table_names())
        assert message_triggers() >= TRIGGERS
    finally:
        call_command("migrate", verbosity=0)  # leave the database at the latest state for the next tests
