"""The bulk write path (file import and scraper ingest) normalises contacts on the way in."""

import pytest

from leads.importing.upsert import Outcome, leads_upsert
from leads.models import ContactQuality, Lead
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def row(**values) -> dict:
    base = {"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Oak table"}
    return {**base, **values}


def run(*rows: dict):
    return list(leads_upsert(rows=rows))


def contacts(lead: Lead) -> tuple:
    return (lead.email, lead.email_as_posted, lead.phone, lead.phone_as_posted, lead.contact_quality)


def test_posted_contacts_are_normalised_and_kept_as_posted(sites):
    run(row(email="  Jane@GMAIL.com ", phone="(415) 555-0165"))

    lead = Lead.objects.get()
    assert contacts(lead) == ("Jane@gmail.com", "Jane@GMAIL.com", "+14155550165", "(415) 555-0165", "valid")
    assert lead.contact_extracted is False


def test_a_bad_email_and_phone_are_kept_as_text_and_flagged_invalid_not_rejected(sites):
    outcomes = run(row(email="jane at gmail", phone="call me"))

    assert outcomes[0].outcome == Outcome.CREATED
    lead = Lead.objects.get()
    assert contacts(lead) == ("jane at gmail", "jane at gmail", "call me", "call me", ContactQuality.INVALID)


def test_no_contact_fields_means_none(sites):
    run(row(email="", phone="", description="Solid oak, seats six."))

    lead = Lead.objects.get()
    assert (lead.contact_quality, lead.contact_extracted, lead.phone) == ("none", False, "")


def test_contacts_in_the_description_are_extracted_when_the_post_gave_none(sites):
    run(row(email="", description="Oak table. Text four one five 555 zero one six five or jane (at) gmail (dot) com"))

    lead = Lead.objects.get()
    assert (lead.email, lead.phone, lead.contact_quality, lead.contact_extracted) == (
        "jane@gmail.com",
        "+14155550165",
        "valid",
        True,
    )


def test_nothing_is_extracted_when_the_post_gave_a_contact(sites):
    run(row(email="pat@example.com", description="or call 415 555 0165"))

    lead = Lead.objects.get()
    assert (lead.email, lead.phone, lead.contact_extracted) == ("pat@example.com", "", False)


def test_a_repeat_of_the_same_post_is_unchanged(sites):
    post = row(phone="415.555.0165", description="or text 510 555 0123")
    extracted = row(source_post_id="7002", description="text 510 555 0123")
    run(post, extracted)

    assert [o.outcome for o in run(post, extracted)] == [Outcome.UNCHANGED, Outcome.UNCHANGED]


def test_an_exported_e164_phone_imported_back_keeps_what_the_post_said(sites):
    run(row(phone="(415) 555-0165"))

    assert run(row(phone="+14155550165"))[0].outcome == Outcome.UNCHANGED
    assert Lead.objects.get().phone_as_posted == "(415) 555-0165"


def test_contacts_given_back_as_stored_are_not_normalised_again(sites, monkeypatch):
    # A re-imported update-ready export gives every contact in its stored form: checking those again
    # (phonenumbers, email-validator) was most of a big import's Python time, and changes nothing.
    run(row(email="Pat@Example.COM", phone="(415) 555-0165"))
    stored = contacts(Lead.objects.get())

    def refuse(**values):
        raise AssertionError(f"contacts normalised again: {values}")

    monkeypatch.setattr("leads.contact_fields.lead_contact_values", refuse)
    outcomes = run(row(email="Pat@example.com", phone="+14155550165", status="contacted"))

    assert outcomes[0].outcome == Outcome.UPDATED
    lead = Lead.objects.get()
    assert (contacts(lead), lead.status) == (stored, "contacted")


def test_a_changed_description_is_searched_again(sites):
    run(row(description="call 415 555 0165"))
    assert run(row(description="call 510 555 0123"))[0].outcome == Outcome.UPDATED

    lead = Lead.objects.get()
    assert (lead.phone, lead.contact_extracted) == ("+15105550123", True)


def test_a_row_without_contact_columns_keeps_the_posted_contacts(sites):
    run(row(phone="415 555 0165"))

    assert run(row(title="Oak table, seats six"))[0].outcome == Outcome.UPDATED
    lead = Lead.objects.get()
    assert contacts(lead)[2:] == ("+14155550165", "415 555 0165", "valid")


def test_a_posted_phone_replaces_an_extracted_one(sites):
    run(row(description="call 415 555 0165"))
    run(row(description="call 415 555 0165", phone="510-555-0123"))

    lead = Lead.objects.get()
    assert (lead.phone, lead.contact_extracted) == ("+15105550123", False)


def test_the_region_is_the_locations_country(sites):
    LocationFactory(name="London", site_code="london", country="GB")
    run(row(location="london", phone="020 7946 0958"), row(source_post_id="7002", phone="020 7946 0958"))

    by_site = dict(Lead.objects.values_list("location__site_code", "phone"))
    assert by_site == {"london": "+442079460958", "sfbay": "020 7946 0958"}  # not a US number


def test_an_export_giving_back_extracted_contacts_is_unchanged(sites):
    run(row(description="call 415 555 0165"))

    assert run(row(description="call 415 555 0165", phone="+14155550165", email=""))[0].outcome == Outcome.UNCHANGED
    assert Lead.objects.get().contact_extracted is True
