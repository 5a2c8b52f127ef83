"""A lead's page: a typed e-mail or phone is stored as an import would store it."""

import pytest
from django.urls import reverse

from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def form_data(lead: Lead, **changes) -> dict:
    data = {
        "title": lead.title,
        "status": lead.status,
        "price": lead.price,
        "description": lead.description,
        "url": lead.url,
        "location": lead.location_id,
        "category": lead.category_id,
        "source_post_id": lead.source_post_id,
        "posted_at_0": lead.posted_at.date().isoformat(),
        "posted_at_1": lead.posted_at.time().strftime("%H:%M:%S"),
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
    }
    return {**data, **changes}


def save(client, lead: Lead, **changes):
    response = client.post(reverse("admin:leads_lead_change", args=[lead.pk]), form_data(lead, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Lead.objects.get(pk=lead.pk)


def test_a_typed_phone_is_stored_in_e164_with_what_was_typed(admin_client):
    lead = LeadFactory(phone="", email="")

    saved = save(admin_client, lead, phone="(510) 555-0123")

    assert (saved.phone, saved.phone_as_posted, saved.contact_quality) == ("+15105550123", "(510) 555-0123", "valid")


def test_changing_the_status_keeps_the_posted_contacts(admin_client):
    lead = LeadFactory(phone="(415) 555-0165", email="Jane@GMAIL.com")

    saved = save(admin_client, lead, status="contacted")

    assert (saved.phone, saved.phone_as_posted, saved.email, saved.email_as_posted) == (
        "+14155550165",
        "(415) 555-0165",
        "Jane@gmail.com",
        "Jane@GMAIL.com",
    )


def test_an_invalid_email_typed_is_kept_and_flagged(admin_client):
    lead = LeadFactory(phone="", email="")

    saved = save(admin_client, lead, email="jane at home")

    assert (saved.email, saved.contact_quality) == ("jane at home", "invalid")


def test_a_changed_description_finds_a_phone_when_the_post_gave_none(admin_client):
    lead = LeadFactory(phone="", email="", description="Oak table.")

    saved = save(admin_client, lead, description="Oak table. Text 415 555 0199")

    assert (saved.phone, saved.contact_extracted) == ("+14155550199", True)
