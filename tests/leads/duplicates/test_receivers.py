"""Leads are linked to duplicate groups as they arrive (the `leads_arrived` signal of the bulk write path)."""

import pytest

from leads.models import DuplicateGroup, Lead
from leads.signals import leads_arrived

pytestmark = pytest.mark.django_db


def test_arrived_leads_join_the_group_of_what_they_match(make_lead):
    existing = make_lead(email="pat@example.com", days_ago=30)
    first = make_lead(email="PAT@example.com")
    second = make_lead(title="Vintage oak dining table with six chairs")
    third = make_lead(title="Vintage oak dining table with 6 chairs")
    alone = make_lead()
    leads_arrived.send(
        sender=Lead, created_ids=[first.pk, second.pk, third.pk, alone.pk], updated_ids=[], source="ingest"
    )
    groups = dict(Lead.objects.values_list("pk", "duplicate_group_id"))
    assert groups[existing.pk] == groups[first.pk] is not None
    assert groups[second.pk] == groups[third.pk] is not None
    assert groups[second.pk] != groups[first.pk]
    assert groups[alone.pk] is None
    assert sorted(DuplicateGroup.objects.values_list("size", flat=True)) == [2, 2]


def test_an_empty_batch_changes_nothing(make_lead):
    make_lead(email="pat@example.com")
    make_lead(email="pat@example.com")
    leads_arrived.send(sender=Lead, created_ids=[], updated_ids=[], source="import")
    assert not DuplicateGroup.objects.exists()
