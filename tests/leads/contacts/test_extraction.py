"""Contacts written in a Craigslist post's text, disguised as posters disguise them."""

import pytest

from leads.contact_extraction import contacts_extract, emails_in, phones_in


@pytest.mark.parametrize(
    "text",
    [
        "Oak table. Call four one five five five five zero one six five after 5pm",
        "text 415 five five five 0165 no lowballers",
        "(four-one-five) 555 oh one six five",
        "FOUR ONE FIVE - FIVE FIVE FIVE - ZERO ONE SIX FIVE",
        "call 4 1 5 5 5 5 0 1 6 5",
        "Call or text 415.555.0165 anytime",
        "Serious buyers: (415)555-0165.",
        "415-555-0165 ext 3",
    ],
)
def test_a_disguised_us_number_is_found(text):
    email, phone = contacts_extract(text, "US")
    assert (phone.value, phone.valid, email.value) == ("+14155550165", True, "")


def test_several_numbers_are_found_in_order_and_the_first_is_kept():
    text = "Call 415-555-0165 or my husband at (510) 555-0123; office 415.555.0165"
    assert [phone.value for phone in phones_in(text)] == ["+14155550165", "+15105550123"]
    assert contacts_extract(text)[1].value == "+14155550165"


def test_a_foreign_number_is_read_with_its_country_code():
    assert contacts_extract("Owner abroad, WhatsApp +44 20 7946 0958 only", "US")[1].value == "+442079460958"
    assert contacts_extract("ring 020 7946 0958 after six", "GB")[1].value == "+442079460958"


@pytest.mark.parametrize(
    "text",
    [
        "Price $1200 obo, 2015 model, 150000 miles, 4 doors",
        "Call 555-1234",  # seven digits: no area code, not a valid number
        "one owner, two tires, five seats, nine years old",
        "VIN 1HGCM82633A004352",
        "",
    ],
)
def test_text_without_a_phone_number_gives_none(text):
    assert contacts_extract(text)[1].value == ""


@pytest.mark.parametrize(
    "text",
    [
        "email jane (at) gmail (dot) com",
        "email JANE [AT] GMAIL [DOT] COM",
        "jane [at] gmail.com",
        "reply to jane at gmail dot com please",
        "jane @ gmail . com",
        "jane@gmail dot com",
        "mail me: jane@gmail.com.",
        "jane{at}gmail{dot}com",
        "jane@gmail. com",
    ],
)
def test_a_disguised_email_is_found(text):
    email, _ = contacts_extract(text)
    assert (email.value.lower(), email.valid) == ("jane@gmail.com", True)


@pytest.mark.parametrize(
    "text",
    ["Mail pat@example.com. Price firm.", "pat@example.com. Call after 5", "Write: pat@example.com.\nPickup only"],
)
def test_a_sentence_after_an_address_is_not_part_of_its_domain(text):
    assert [email.value for email in emails_in(text)] == ["pat@example.com"]


def test_a_multi_part_domain_spelt_out():
    assert emails_in("contact jane.doe at mail dot example dot co dot uk")[0].value == "jane.doe@mail.example.co.uk"


@pytest.mark.parametrize(
    "text",
    [
        "I'm at home at 5, done at noon",
        "jane@localhost",
        "email me @ the number below",
        "see pic@2x.png",
    ],
)
def test_text_without_an_email_gives_none(text):
    assert contacts_extract(text)[0].value == ""


def test_digits_inside_an_email_are_not_a_phone():
    email, phone = contacts_extract("reply to bob4155550165@yahoo.com")
    assert (email.value, phone.value) == ("bob4155550165@yahoo.com", "")


def test_an_email_and_a_phone_in_one_post():
    email, phone = contacts_extract("Oak table $120. jane (at) gmail (dot) com or four one five 555 0165")
    assert (email.value, phone.value) == ("jane@gmail.com", "+14155550165")
