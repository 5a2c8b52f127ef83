"""Where a person's phone or e-mail is written in a text: every spelling the contact extraction reads."""

import pytest

from leads import contact_extraction
from leads.contact_extraction import emails_in, phones_in
from leads.contact_keys import phone_key
from leads.contact_spans import _undisguised_digits_mapped, email_spans, phone_spans, spans_cut

PERSON = {phone_key("+14155550165", normalised=True)}

# The disguises tests/leads/contacts/test_extraction.py finds the number in, and a few more.
DISGUISED = [
    "Oak table. Call four one five five five five zero one six five after 5pm",
    "text 415 five five five 0165 no lowballers",
    "(four-one-five) 555 oh one six five",
    "FOUR ONE FIVE - FIVE FIVE FIVE - ZERO ONE SIX FIVE",
    "call 4 1 5 5 5 5 0 1 6 5",
    "Call or text 415.555.0165 anytime",
    "Serious buyers: (415)555-0165.",
    "415-555-0165 ext 3",
    "+1 (415) 555-0165 or 1-415-555-0165",
]


@pytest.mark.parametrize("text", DISGUISED)
def test_the_mapped_undisguising_is_the_extractions_own(text):
    undisguised, origin = _undisguised_digits_mapped(text)
    assert undisguised == contact_extraction._undisguised_digits(text)
    assert len(origin) == len(undisguised)


@pytest.mark.parametrize("text", DISGUISED)
def test_every_spelling_of_the_number_is_cut_and_the_rest_of_the_text_kept(text):
    assert [phone.value for phone in phones_in(text)] == ["+14155550165"]
    cut = spans_cut(text, phone_spans(text, keys=PERSON), "[removed]")
    assert phones_in(cut) == [] and "[removed]" in cut
    assert cut.split("[removed]")[0] == text[: len(cut.split("[removed]")[0])]  # what came before is untouched


def test_other_numbers_stay():
    text = "Me: 415-555-0165, my husband: (510) 555-0123"
    cut = spans_cut(text, phone_spans(text, keys=PERSON), "[removed]")
    assert cut == "Me: [removed], my husband: (510) 555-0123"


def test_a_number_is_read_in_the_sites_country():
    text = "ring 020 7946 0958 after six"
    keys = {phone_key("+442079460958", normalised=True)}
    assert spans_cut(text, phone_spans(text, keys=keys, region="GB"), "[removed]") == "ring [removed] after six"


@pytest.mark.parametrize(
    "text",
    [
        "email jo (at) example (dot) com",
        "email JO [AT] EXAMPLE [DOT] COM",
        "jo [at] example.com",
        "reply to jo at example dot com please",
        "jo @ example . com",
        "jo@example dot com",
        "mail me: Jo@Example.com.",
        "mailto:jo@example.com",
    ],
)
def test_the_address_is_cut_in_any_case_and_however_spelt_out(text):
    assert [email.value.lower() for email in emails_in(text)] == ["jo@example.com"]
    cut = spans_cut(text, email_spans(text, addresses=["jo@example.com"]), "[removed]")
    assert emails_in(cut) == [] and "[removed]" in cut


def test_a_longer_address_that_contains_it_stays():
    text = "bojo@example.com, jo@example.com.au, jo@example.community"
    assert email_spans(text, addresses=["jo@example.com"]) == []
