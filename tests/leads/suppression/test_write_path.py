"""The bulk write path (file import and scraper ingest) consults the do-not-contact list."""

import pytest

from leads.contact_keys import email_key, phone_key
from leads.importing.upsert import Outcome, leads_upsert
from leads.models import Lead
from leads.suppression import suppress

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    from tests.factories import CategoryFactory, LocationFactory

    LocationFactory(name="SF bay area", site_code="sfbay")
    CategoryFactory(name="for sale", code="sss")


def row(**values) -> dict:
    base = {"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Oak table"}
    return {**base, **values}


def run(*rows):
    return list(leads_upsert(rows=rows))


def test_new_leads_get_their_contact_keys(sites):
    run(row(email="pat@example.com", phone="415-555-0100"))
    lead = Lead.objects.get()
    assert (lead.email_key, lead.phone_key) == (email_key("pat@example.com"), phone_key("4155550100"))
    assert not Lead.objects.suppressed().exists()


def test_a_suppressed_person_arrives_without_contact_data_but_flagged(sites):
    suppress(phone="415 555 0165", reason="phone_request")
    outcomes = run(row(contact_name="Jo", email="jo@example.com", phone="(415) 555-0165"), row(source_post_id="7002"))

    assert [outcome.outcome for outcome in outcomes] == [Outcome.CREATED, Outcome.CREATED]
    lead = Lead.objects.get(source_post_id="7001")
    assert (lead.contact_name, lead.email, lead.phone) == ("", "", "")
    assert list(Lead.objects.suppressed()) == [lead]


def test_a_rescrape_cannot_bring_contact_data_back(sites):
    run(row(contact_name="Jo", email="jo@example.com"))
    suppress(email="jo@example.com", reason="opted_out")
    Lead.objects.update(contact_name="", email="")  # what an erasure leaves

    outcomes = run(row(contact_name="Jo", email="JO@example.com"))

    assert outcomes[0].outcome == Outcome.UNCHANGED
    lead = Lead.objects.get()
    assert (lead.contact_name, lead.email) == ("", "")
    assert Lead.objects.suppressed().count() == 1
