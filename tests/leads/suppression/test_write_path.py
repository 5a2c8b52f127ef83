"""The bulk write path (file import and scraper ingest) consults the do-not-contact list."""

import pytest

from leads.contact_keys import email_key, phone_key
from leads.erasure import person_erase
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
    posted = row(contact_name="Jo", email="jo@example.com", description="Mail Jo at jo@example.com or 415-555-0165")
    run(posted)
    person_erase(email="jo@example.com")

    outcomes = run(posted)

    assert outcomes[0].outcome == Outcome.UNCHANGED
    lead = Lead.objects.get()
    assert (lead.contact_name, lead.email, lead.email_as_posted, lead.phone) == ("", "", "", "")
    assert lead.description == "Mail Jo at [removed] or 415-555-0165"  # a number the post did not give stays
    assert lead.contact_quality == "none"
    assert Lead.objects.suppressed().count() == 1


def test_a_suppressed_number_written_only_in_the_description_is_dropped_too(sites):
    suppress(phone="(415) 555-0165", reason="phone_request")
    run(row(description="Text me: 415 555 0165"))
    lead = Lead.objects.get()
    assert (lead.phone, lead.phone_as_posted, lead.description) == ("", "", "Text me: [removed]")
    assert list(Lead.objects.suppressed()) == [lead]


def test_a_file_import_through_the_command_drops_a_suppressed_persons_contact_data(sites, tmp_path, settings):
    from django.core.management import call_command

    settings.LEAD_IMPORT_DIRECTORY = tmp_path / "imports"
    suppress(email="jo@example.com", reason="opted_out")
    path = tmp_path / "leads.csv"
    path.write_text(
        "source_post_id,location,category,title,email,phone\n"
        "8001,sfbay,sss,Oak table,JO@example.com,415-555-0165\n"
        "8002,sfbay,sss,Bike,pat@example.com,\n"
    )
    call_command("import_leads", str(path))

    leads = {lead.source_post_id: lead for lead in Lead.objects.all()}
    assert (leads["8001"].email, leads["8001"].phone) == ("", "")
    assert leads["8002"].email == "pat@example.com"
    assert list(Lead.objects.suppressed()) == [leads["8001"]]


def test_a_suppressed_persons_number_is_cut_from_the_text_however_it_is_spelt(sites):
    suppress(phone="+14155550165", email="jo@example.com", reason="opted_out")
    description = "Call (415) 555-0165 or four one five 555 0165, mail JO (at) EXAMPLE (dot) COM; not 510-555-0123"
    run(row(phone="415.555.0165", email="Jo@example.com", description=description))

    lead = Lead.objects.get()
    assert lead.description == "Call [removed] or [removed], mail [removed]; not 510-555-0123"


def test_a_flagged_leads_stored_contacts_stay_until_an_erasure(sites):
    # Put on the list after the lead was stored: flagged, its data kept (only an erasure removes it).
    run(row(contact_name="Jo", email="jo@example.com", phone="415-555-0165"))
    suppress(email="jo@example.com", reason="opted_out")

    # The empty contact cells of its export, and a row that changes only its status.
    outcomes = run(row(contact_name="", email="", phone=""), row(status="contacted"))

    assert [outcome.outcome for outcome in outcomes] == [Outcome.UNCHANGED, Outcome.UPDATED]
    lead = Lead.objects.get()
    assert (lead.contact_name, lead.email, lead.status) == ("Jo", "jo@example.com", "contacted")
    assert list(Lead.objects.suppressed()) == [lead]


def test_a_row_bringing_new_contact_data_to_a_flagged_lead_is_still_dropped(sites):
    run(row(email="jo@example.com"))
    suppress(email="jo@example.com", reason="opted_out")

    run(row(email="jo@example.com", phone="415-555-0165", contact_name="Jo"))

    lead = Lead.objects.get()
    assert (lead.contact_name, lead.email, lead.phone) == ("", "", "")
    assert list(Lead.objects.suppressed()) == [lead]
