"""lead_rows_write's transaction for big writes: PostgreSQL's trigram pending lists gathered, then merged once."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from leads.importing.writing import BULK_GIN_PENDING, lead_bulk_transaction
from leads.imports import lead_import
from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN pending lists are PostgreSQL's")


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)  # the settings end with the real transaction, not a test's savepoint
def test_the_bulk_transaction_raises_the_pending_list_limit_for_itself_only():
    before = setting("gin_pending_list_limit"), setting("work_mem")
    with lead_bulk_transaction():
        assert setting("gin_pending_list_limit") == setting("work_mem") == BULK_GIN_PENDING
    assert (setting("gin_pending_list_limit"), setting("work_mem")) == before


@postgresql_only
def test_an_import_merges_the_trigram_pending_lists_at_the_end(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Oak table")
    data = f"id,location,source_post_id,status\n{lead.pk},sfbay,7001,contacted\n".encode()

    with CaptureQueriesContext(connection) as queries:
        result = lead_import(file_path_or_bytes=data, format="csv")

    assert result.saved and Lead.objects.get().status == "contacted"
    cleaned = [query["sql"] for query in queries if "gin_clean_pending_list" in query["sql"]]
    assert len(cleaned) == 1


@postgresql_only
def test_a_rolled_back_bulk_transaction_merges_nothing():
    with CaptureQueriesContext(connection) as queries, lead_bulk_transaction():
        transaction.set_rollback(True)
    assert not [query for query in queries if "gin_clean_pending_list" in query["sql"]]
