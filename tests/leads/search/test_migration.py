"""Migration 0017: the searched texts move to the side table with their indexes and back, no data lost (PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.leads.migration_steps import migrate, old_place

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL has the side table")

BEFORE = [("leads", "0016_lead_total_rollups")]
AFTER = [("leads", "0017_lead_search_text")]
OLD_INDEXES = {f"lead_{column}_trgm_idx" for column in ("title", "description", "contact_name", "email", "phone")}


def trigram_indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE '%%gin_trgm_ops%%'", [table]
        )
        return {name for (name,) in cursor.fetchall()}


def side_rows() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lead_id, source_post_id, title, description, email_as_posted FROM leads_leadsearchtext")
        return set(cursor.fetchall())


@pytest.fixture
def old_leads(transactional_db):
    apps = migrate(BEFORE)
    Lead, location, category = old_place(apps)
    leads = [
        Lead.objects.create(
            location=location, category=category, source_post_id=post, title=title, email_as_posted="Jo@X.com"
        )
        for post, title in (("1", "Oak table"), ("2", "Walnut dresser"))
    ]
    yield leads
    call_command("migrate", verbosity=0)  # leave the database at the latest state for the next tests


def test_forwards_fills_the_side_table_and_moves_the_trigram_indexes(old_leads):
    assert trigram_indexes("leads_lead") == OLD_INDEXES

    migrate(AFTER)

    assert side_rows() == {(lead.pk, lead.source_post_id, lead.title, "", "Jo@X.com") for lead in old_leads}
    assert trigram_indexes("leads_lead") == set()
    assert len(trigram_indexes("leads_leadsearchtext")) == 7


def test_backwards_builds_the_lead_indexes_again_and_drops_the_side_table(old_leads):
    migrate(AFTER)
    apps = migrate(BEFORE)

    assert trigram_indexes("leads_lead") == OLD_INDEXES
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('leads_leadsearchtext')")
        assert cursor.fetchone()[0] is None
    assert {lead.title for lead in apps.get_model("leads", "Lead").objects.all()} == {"Oak table", "Walnut dresser"}
