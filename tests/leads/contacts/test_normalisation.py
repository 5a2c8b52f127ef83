"""Normalising one e-mail address or phone number (no database)."""

import pytest

from leads.contact_normalisation import NormalisedContact, contact_quality, normalise_email, normalise_phone


@pytest.mark.parametrize(
    ("raw", "value", "valid"),
    [
        ("  Jane.Doe@Example.COM ", "Jane.Doe@example.com", True),
        ("mailto:bob@Gmail.com", "bob@gmail.com", True),
        ("JOE@YAHOO.COM\n", "JOE@yahoo.com", True),
        ("user@münchen.DE", "user@münchen.de", True),
        ("not an email", "not an email", False),
        ("jane@@example.com", "jane@@example.com", False),
        ("jane@example", "jane@example", False),
        ("jane.@Example.com", "jane.@example.com", False),
        ("jane@localhost", "jane@localhost", False),
        ("two words@example.com", "two words@example.com", False),
    ],
)
def test_email_is_trimmed_domain_lowered_and_checked(raw, value, valid):
    result = normalise_email(raw)
    assert result == NormalisedContact(value, raw, valid)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_email_is_none(raw):
    result = normalise_email(raw)
    assert (result.value, result.valid, result.quality) == ("", False, "none")


def test_email_check_makes_no_network_lookup(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("no DNS lookup")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    import dns.resolver

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", refuse)
    assert normalise_email("someone@no-such-domain-for-leadsite.com").valid


@pytest.mark.parametrize(
    ("raw", "region", "value", "valid"),
    [
        ("(415) 555-0165", "US", "+14155550165", True),
        ("415.555.0165", "US", "+14155550165", True),
        ("415-555-0165 ext. 12", "US", "+14155550165", True),
        ("1 (415) 555 0165", "US", "+14155550165", True),
        ("+44 20 7946 0958", "US", "+442079460958", True),
        ("011 44 20 7946 0958", "US", "+442079460958", True),
        ("020 7946 0958", "GB", "+442079460958", True),
        ("020 7946 0958", "gb", "+442079460958", True),
        ("(604) 555-0199", "CA", "+16045550199", True),
        ("1-800-FLOWERS", "US", "+18003569377", True),
        ("555-1234", "US", "555-1234", False),
        ("call me", "US", "call me", False),
        ("12", "US", "12", False),
        ("+999 123 456", "US", "+999 123 456", False),
    ],
)
def test_phone_is_e164_or_kept_as_text(raw, region, value, valid):
    assert normalise_phone(raw, region) == NormalisedContact(value, raw, valid)


def test_phone_region_defaults_to_us():
    assert normalise_phone("415 555 0165").value == "+14155550165"
    assert normalise_phone("415 555 0165", "").value == "+14155550165"


@pytest.mark.parametrize("raw", ["", "  ", None])
def test_empty_phone_is_none(raw):
    result = normalise_phone(raw)
    assert (result.value, result.valid, result.quality) == ("", False, "none")


def test_phone_as_posted_is_kept_verbatim():
    assert normalise_phone(" (415) 555-0165 ").as_posted == " (415) 555-0165 "


def test_same_number_written_differently_has_one_value():
    forms = ["(415) 555-0165", "415-555-0165", "415.555.0165", "+1 415 555 0165", "14155550165"]
    assert {normalise_phone(form).value for form in forms} == {"+14155550165"}


def test_contact_is_frozen():
    result = normalise_phone("415 555 0165")
    with pytest.raises(AttributeError):
        result.value = "x"


@pytest.mark.parametrize(
    ("email", "phone", "quality"),
    [
        ("", "", "none"),
        ("a@example.com", "", "valid"),
        ("", "415 555 0165", "valid"),
        ("bad", "415 555 0165", "valid"),
        ("bad", "", "invalid"),
        ("bad", "12", "invalid"),
    ],
)
def test_contact_quality(email, phone, quality):
    assert contact_quality(normalise_email(email), normalise_phone(phone)) == quality


@pytest.mark.parametrize(
    "raw",
    [
        "jane.doe@gmail.com",
        "Jane.Doe+craigslist@Mail.Example.CO.uk",
        "o'brien@example.com",
        "a!#$%&'*+/=?^_`{|}~-b@example.org",
        "jane..doe@example.com",
        ".jane@example.com",
        "jane.@example.com",
        "jane@-example.com",
        "jane@example..com",
        "jane@example.c",
        "jane@123.456",
        "jane@localhost",
        "jane@site.test",
        "x" * 65 + "@example.com",
        "x@" + "a" * 250 + ".com",
        "jane@exa_mple.com",
        "jane@bücher.DE",
        "jané@example.com",
        '"jane doe"@example.com',
    ],
)
def test_the_quick_path_agrees_with_email_validator(raw):
    from email_validator import EmailNotValidError, validate_email

    local, _, domain = raw.rpartition("@")
    try:
        expected = (validate_email(f"{local}@{domain.lower()}", check_deliverability=False).normalized, True)
    except EmailNotValidError:
        expected = (f"{local}@{domain.lower()}", False)
    result = normalise_email(raw)
    assert (result.value, result.valid) == expected
