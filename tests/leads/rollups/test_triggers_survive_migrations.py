"""The migrated schema still has the rollup triggers: a later migration that remakes the leads table drops them.

(SQLite remakes a table for most AlterField operations, and its triggers go with the old table; the
rollups would then stop seeing new leads without any error.)
"""

import pytest
from django.db import connection

from leads.models import LeadRollupDirty
from leads.rollups import rollups_refresh
from leads.rollups.triggers import LEAD
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

TRIGGERS = {"leads_rollup_after_insert", "leads_rollup_after_delete", "leads_rollup_after_update"}


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [LEAD])
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [LEAD])
        return {name for (name,) in cursor.fetchall()}


def test_every_migration_leaves_the_rollup_triggers_on_the_leads_table():
    assert installed_triggers() >= TRIGGERS


def test_a_new_lead_marks_its_day_dirty():
    rollups_refresh()
    assert not LeadRollupDirty.objects.exists()

    LeadFactory()

    assert LeadRollupDirty.objects.count() == 1
