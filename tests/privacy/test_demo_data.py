"""The demo data includes suppressed people, and its leads carry the keys the list matches."""

import pytest

from leads.contact_keys import email_key
from leads.demo_data.seeding import demo_data_seed
from leads.models import Lead, Suppression

pytestmark = pytest.mark.django_db


def test_the_demo_seed_puts_people_on_the_list_and_flags_their_leads():
    demo_data_seed(leads=1500, runs=10, seed=3)

    assert Suppression.objects.count() >= 5
    assert len(set(Suppression.objects.values_list("reason", flat=True))) == 4
    assert Lead.objects.suppressed().count() >= Suppression.objects.count()
    lead = Lead.objects.exclude(email="").first()
    assert lead.email_key == email_key(lead.email)
