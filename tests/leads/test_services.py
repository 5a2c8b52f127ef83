"""Lead write services: the bulk status change behind the changelist's actions."""

import datetime

import pytest
from django.utils import timezone

from leads.models import Lead, LeadStatus
from leads.services import lead_status_bulk_update
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_bulk_update_moves_the_given_leads_and_counts_only_real_changes(django_assert_num_queries, admin_user):
    new = LeadFactory.create_batch(3, status=LeadStatus.NEW)
    already = LeadFactory(status=LeadStatus.QUALIFIED)
    untouched = LeadFactory(status=LeadStatus.NEW)
    chosen = Lead.objects.filter(pk__in=[*(lead.pk for lead in new), already.pk])

    with django_assert_num_queries(1):
        changed = lead_status_bulk_update(leads=chosen, status=LeadStatus.QUALIFIED, user=admin_user)

    assert changed == 3
    assert set(Lead.objects.filter(status=LeadStatus.QUALIFIED).values_list("pk", flat=True)) == {
        *(lead.pk for lead in new),
        already.pk,
    }
    untouched.refresh_from_db()
    assert untouched.status == LeadStatus.NEW


def test_bulk_update_stamps_updated_at_on_changed_leads_only():
    long_ago = timezone.now() - datetime.timedelta(days=30)
    moved = LeadFactory(status=LeadStatus.NEW)
    kept = LeadFactory(status=LeadStatus.CONTACTED)
    Lead.objects.filter(pk__in=[moved.pk, kept.pk]).update(updated_at=long_ago)

    lead_status_bulk_update(leads=Lead.objects.all(), status=LeadStatus.CONTACTED, user=None)

    moved.refresh_from_db()
    kept.refresh_from_db()
    assert moved.updated_at > long_ago
    assert kept.updated_at == long_ago


def test_bulk_update_of_nothing_changes_nothing():
    LeadFactory(status=LeadStatus.NEW)
    assert lead_status_bulk_update(leads=Lead.objects.none(), status=LeadStatus.REJECTED, user=None) == 0
    assert Lead.objects.get().status == LeadStatus.NEW


def test_bulk_update_refuses_an_unknown_status():
    lead = LeadFactory(status=LeadStatus.NEW)
    with pytest.raises(ValueError, match="Unknown lead status 'won'"):
        lead_status_bulk_update(leads=Lead.objects.all(), status="won", user=None)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
