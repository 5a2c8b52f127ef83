"""Normalised e-mail addresses and phone numbers, keeping what the post said.

- An e-mail address is trimmed (and a leading ``mailto:`` dropped) and its domain lower-cased;
  the local part keeps its case (it may matter to the mail server). It is syntax-checked with
  `email-validator`, never with a DNS lookup. A valid address takes the library's normalised form
  (Unicode NFC, an internationalised domain in Unicode); an invalid one keeps the trimmed text with
  the domain lower-cased.
- A phone number is parsed with `phonenumbers` in the given region (an ISO 3166 code such as "US";
  a number written with "+" or the region's international prefix, 011 in the US, carries its own
  country) and, when it is a valid number, given in E.164 (``+14155550165``; an extension is
  dropped). A number that cannot be parsed or is not a valid number keeps the trimmed text and is
  flagged invalid.
- Empty input (or only spaces) gives value "" and valid False.

The same input always gives the same value, so the value can be matched and hashed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

DEFAULT_REGION = "US"


@dataclass(frozen=True, slots=True)
class NormalisedContact:
    value: str  # the normalised form ("" for empty input)
    as_posted: str  # the text as given
    valid: bool

    @property
    def quality(self) -> str:
        """ "none" (nothing given), "valid" or "invalid"."""
        if not self.value:
            return "none"
        return "valid" if self.valid else "invalid"


def _text(raw) -> str:
    if raw is None:
        return ""
    return raw if isinstance(raw, str) else str(raw)


# Both are pure and their results immutable: the same address or number (a repost, an import run
# twice, the demo data's phone numbers) is checked once. Bounded: at most this many of each are kept.
CACHE_SIZE = 50_000


def normalise_email(raw: str) -> NormalisedContact:
    return _normalised_email(_text(raw))


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> NormalisedContact:
    return _normalised_phone(_text(raw), (region or DEFAULT_REGION).strip().upper())


@lru_cache(maxsize=CACHE_SIZE)
def _normalised_email(as_posted: str) -> NormalisedContact:
    text = as_posted.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    if not text:
        return NormalisedContact("", as_posted, False)
    local, at, domain = text.rpartition("@")
    value = f"{local}@{domain.lower()}" if at else text
    if (
        at
        and domain.isascii()
        and len(local) <= _MAX_LOCAL
        and len(value) <= _MAX_ADDRESS
        and _ASCII_LOCAL.match(local)
    ):
        # The common case, an ASCII dot-atom before the "@": email-validator leaves such a local part
        # as it is, so only the domain needs its checks (shared by every address at that domain).
        checked = _normalised_domain(domain.lower())
        if checked is None:
            return NormalisedContact(value, as_posted, False)
        return NormalisedContact(f"{local}@{checked}", as_posted, True)
    try:
        info = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return NormalisedContact(value, as_posted, False)
    return NormalisedContact(info.normalized, as_posted, True)


# RFC 5322 dot-atom of ASCII atext characters, the local parts email-validator accepts unchanged.
_ASCII_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_MAX_LOCAL, _MAX_ADDRESS = 64, 254


@lru_cache(maxsize=CACHE_SIZE)
def _normalised_domain(domain: str) -> str | None:
    """The domain as email-validator normalises it, or None when it is not a valid mail domain."""
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


@lru_cache(maxsize=CACHE_SIZE)
def _normalised_phone(as_posted: str, region: str) -> NormalisedContact:
    text = as_posted.strip()
    if not text:
        return NormalisedContact("", as_posted, False)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return NormalisedContact(text, as_posted, False)
    if not phonenumbers.is_valid_number(number):
        return NormalisedContact(text, as_posted, False)
    return NormalisedContact(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), as_posted, True)


def contact_quality(email: NormalisedContact, phone: NormalisedContact) -> str:
    """A lead's contact quality: "valid" when at least one contact is valid (the lead can be
    reached), "invalid" when contacts are given but none is valid, "none" when none is given."""
    if email.valid or phone.valid:
        return "valid"
    return "invalid" if email.value or phone.value else "none"
