"""SQLite rebuilds a table for most column changes, dropping its triggers; migrate puts them back."""

import pytest
from django.core.management import call_command
from django.db import connection

from leads.rollups.triggers import triggers_uninstall

pytestmark = pytest.mark.django_db(transaction=True)


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'leads_lead'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps triggers across ALTER TABLE")
def test_migrate_reinstalls_triggers_a_table_rebuild_dropped():
    installed = _trigger_names()
    assert installed, "the rollup migration installs triggers"
    with connection.schema_editor() as schema_editor:
        triggers_uninstall(schema_editor)  # what a table rebuild does
    assert _trigger_names() == set()

    call_command("migrate", verbosity=0)

    assert _trigger_names() == installed
