"""The search side table follows every write to the leads (PostgreSQL; SQLite searches the lead columns)."""

import pytest
from django.db import connection

from leads.importing.writing import lead_rows_write
from leads.models import Lead, LeadSearchText, LeadStatus
from leads.search.models import SEARCHED_COLUMNS
from tests.factories import LeadFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the side table is PostgreSQL's"),
]


def side_rows() -> dict[int, dict]:
    return {row["lead_id"]: row for row in LeadSearchText.objects.values("lead_id", *SEARCHED_COLUMNS)}


def lead_rows() -> dict[int, dict]:
    return {row["id"]: row for row in Lead.objects.values("id", *SEARCHED_COLUMNS)}


def in_step() -> bool:
    side = {pk: {k: v for k, v in row.items() if k != "lead_id"} for pk, row in side_rows().items()}
    leads = {pk: {k: v for k, v in row.items() if k != "id"} for pk, row in lead_rows().items()}
    return side == leads


def versions() -> dict[int, str]:
    """Each side row's physical version: a row rewritten gets a new ctid."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lead_id, ctid::text FROM {LeadSearchText._meta.db_table}")
        return dict(cursor.fetchall())


def test_new_leads_are_copied_with_their_texts():
    LeadFactory(title="Oak table", description="Solid oak", email="jo@example.com", phone="+14155550165")
    LeadFactory.create_batch(3)
    assert len(side_rows()) == 4
    assert in_step()


def test_a_change_of_a_searched_text_is_copied_by_every_write_path():
    lead = LeadFactory(title="Oak table")
    lead.title = "Walnut table"
    lead.save()
    Lead.objects.filter(pk=lead.pk).update(description="now walnut", email_as_posted="Jo@Example.com")
    lead_rows_write(creates=[], updates=[(lead.pk, {"contact_name": "Jo", "phone_as_posted": "415 555 0165"})])
    assert side_rows()[lead.pk]["title"] == "Walnut table"
    assert in_step()


def test_an_update_of_other_columns_leaves_the_side_row_alone():
    leads = LeadFactory.create_batch(3)
    before = versions()
    lead_rows_write(creates=[], updates=[(lead.pk, {"status": LeadStatus.CONTACTED}) for lead in leads])
    Lead.objects.update(status=LeadStatus.QUALIFIED)
    assert versions() == before  # no new row version: no trigram index entry written
    assert in_step()


def test_deleted_and_truncated_leads_leave_the_side_table():
    kept, gone = LeadFactory(), LeadFactory()
    gone.delete()
    assert set(side_rows()) == {kept.pk}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign key checks run first
        cursor.execute("TRUNCATE leads_lead CASCADE")
    assert not side_rows()
