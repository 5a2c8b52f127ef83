"""Set-based SQL helpers: an id list as one parameter, inserts that return what they inserted."""

import pytest
from django.utils import timezone

from leads.models import Lead, LeadNote
from leadsite.batch_sql import rows_insert, values_in
from rules.models import Rule, RuleLeadClaim
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_values_in_selects_exactly_the_given_ids_in_one_parameter():
    leads = LeadFactory.create_batch(5)
    wanted = [leads[0].pk, leads[3].pk, leads[3].pk, 10**9]
    selected = Lead.objects.filter(pk__in=values_in(wanted)).values_list("pk", flat=True)
    assert set(selected) == {leads[0].pk, leads[3].pk}
    _, params = selected.query.sql_with_params()
    assert len(params) == 1  # the whole list is one parameter, not one placeholder per id


def test_values_in_with_text_and_with_nothing():
    lead = LeadFactory(title="Oak table")
    assert list(Lead.objects.filter(title__in=values_in(["Oak table", "x"], db_type="text"))) == [lead]
    assert not Lead.objects.filter(pk__in=values_in([])).exists()


def test_rows_insert_returns_only_the_rows_it_inserted(django_user_model):
    leads = LeadFactory.create_batch(3)
    rule = Rule.objects.create(name="r", owner=django_user_model.objects.create(username="o"))
    constants = {"rule": rule.pk, "trigger": "manual", "created_at": timezone.now()}
    two = [leads[0].pk, leads[1].pk]
    first = rows_insert(RuleLeadClaim, columns={"lead": two}, constants=constants, returning="lead")
    again = rows_insert(
        RuleLeadClaim, columns={"lead": [lead.pk for lead in leads]}, constants=constants, returning="lead"
    )
    assert sorted(first) == [leads[0].pk, leads[1].pk]
    assert again == [leads[2].pk]  # the two claimed before conflict and are left out
    assert RuleLeadClaim.objects.count() == 3


def test_rows_insert_fills_every_row_and_splits_long_batches_on_sqlite():
    leads = LeadFactory.create_batch(300)  # 300 rows x 5 columns: over SQLite's 999 parameters
    when = timezone.now()
    inserted = rows_insert(
        LeadNote,
        columns={"lead": [lead.pk for lead in leads], "text": [f"note {lead.pk}" for lead in leads]},
        constants={"tag": "bulk", "source": "test", "created_at": when},
        returning="id",
    )
    assert len(inserted) == 300
    notes = {note.lead_id: note for note in LeadNote.objects.all()}
    assert all(notes[lead.pk].text == f"note {lead.pk}" and notes[lead.pk].tag == "bulk" for lead in leads)
    assert {note.created_at for note in notes.values()} == {when} and {n.author_id for n in notes.values()} == {None}


def test_rows_insert_refuses_columns_of_different_lengths():
    with pytest.raises(ValueError, match="one value per row"):
        rows_insert(LeadNote, columns={"lead": [1, 2], "text": ["a"]})
    assert rows_insert(LeadNote, columns={"lead": []}) == []
