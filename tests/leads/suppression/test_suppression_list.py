"""The do-not-contact list: keyed hashes only, is_suppressed / suppress, and the set-based lead queries."""

import hashlib
import hmac

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.contact_keys import canonical_email, canonical_phone, email_key, phone_key
from leads.models import Lead, Suppression
from leads.suppression import SuppressionError, is_suppressed, suppress
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_the_key_is_an_hmac_of_the_normalised_value_with_the_configured_secret(settings):
    settings.SUPPRESSION_HASH_KEY = "s3cret"
    expected = hmac.new(b"s3cret", b"email:jo.doe@example.com", hashlib.sha256).hexdigest()
    assert email_key("  Jo.Doe@EXAMPLE.com ") == expected
    assert phone_key("(415) 555-0165") == hmac.new(b"s3cret", b"phone:+14155550165", hashlib.sha256).hexdigest()


def test_the_default_secret_derives_from_secret_key(settings):
    settings.SUPPRESSION_HASH_KEY = ""
    first = email_key("jo@example.com")
    settings.SECRET_KEY = "another-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert email_key("jo@example.com") != first


def test_equivalent_spellings_share_a_key():
    assert canonical_email(" Jo@Example.COM") == "jo@example.com"
    assert canonical_phone("415.555.0165") == canonical_phone("+1 (415) 555-0165") == "+14155550165"
    assert phone_key("415 555 0165") == phone_key("+14155550165")
    assert email_key("") == phone_key("  ") == ""


def test_suppress_stores_no_contact_data(admin_user):
    entries = suppress(email="Jo@Example.com", phone="415-555-0165", reason="opted_out", added_by=admin_user)

    assert [(entry.kind, entry.reason, entry.added_by) for entry in entries] == [
        ("email", "opted_out", admin_user),
        ("phone", "opted_out", admin_user),
    ]
    stored = " ".join(str(value) for row in Suppression.objects.values_list() for value in row)
    assert "jo" not in stored.lower().replace(entries[0].key, "").replace(entries[1].key, "")
    assert "555" not in stored.replace(entries[0].key, "").replace(entries[1].key, "")
    assert is_suppressed(email="jo@example.com")
    assert is_suppressed(phone="+1 415 555 0165")
    assert is_suppressed(email="other@example.com", phone="4155550165")
    assert not is_suppressed(email="other@example.com")
    assert not is_suppressed()


def test_suppressing_twice_keeps_the_first_entry(admin_user):
    first = suppress(email="jo@example.com", reason="opted_out", added_by=admin_user)
    again = suppress(email="JO@example.com", reason="manual")
    assert [entry.pk for entry in again] == [entry.pk for entry in first]
    assert Suppression.objects.get().reason == "opted_out"


@pytest.mark.parametrize(
    "kwargs, message",
    [({"email": "a@example.com", "reason": "because"}, "unknown reason"), ({"reason": "manual"}, "give an e-mail")],
)
def test_bad_requests_say_why(kwargs, message):
    with pytest.raises(SuppressionError, match=message):
        suppress(**kwargs)


def test_leads_carry_their_keys_and_are_matched_in_one_query():
    flagged_by_email = LeadFactory(email="Jo@example.com", phone="")
    flagged_by_phone = LeadFactory(email="x@example.com", phone="(415) 555-0165")
    clean = LeadFactory(email="pat@example.com", phone="415-555-0100")
    suppress(email="jo@example.com", phone="4155550165", reason="manual")

    with CaptureQueriesContext(connection) as queries:
        suppressed = set(Lead.objects.suppressed().values_list("pk", flat=True))
    assert len(queries) == 1
    assert suppressed == {flagged_by_email.pk, flagged_by_phone.pk}
    assert set(Lead.objects.not_suppressed().values_list("pk", flat=True)) == {clean.pk}
    flags = dict(Lead.objects.with_suppression_flag().values_list("pk", "is_suppressed"))
    assert flags == {flagged_by_email.pk: True, flagged_by_phone.pk: True, clean.pk: False}


def test_saving_a_lead_refreshes_its_keys():
    lead = LeadFactory(email="a@example.com")
    lead.email = "jo@example.com"
    lead.save(update_fields=["email"])
    lead.refresh_from_db()
    assert lead.email_key == email_key("jo@example.com")
