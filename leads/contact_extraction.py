"""Phone numbers and e-mail addresses written in a post's title or description.

Craigslist posters hide their contacts from harvesters; the usual disguises are undone first:

- numbers in words, whole or in part: "four one five five five five zero one six five",
  "415 five five five 0165", "(four-one-five) 555 oh one six five";
- digits spaced out: "4 1 5 5 5 5 0 1 6 5";
- e-mail addresses with the "@" and dots spelt out: "jane (at) gmail (dot) com", "jane [at] gmail.com",
  "jane at gmail dot com", "jane @ gmail . com", "jane@gmail dot com".

Phones are then found with `phonenumbers.PhoneNumberMatcher` (only valid numbers count; a number
written with its country code, "+44 20 7946 0958", is found whatever the region) and e-mail
addresses with a pattern, each checked by `leads.contact_normalisation`. The first valid one of each
is kept; its `as_posted` is the text it was found as (after undoing the disguise).
"""

import re

import phonenumbers

from leads.contact_normalisation import NormalisedContact, normalise_email, normalise_phone

_NOTHING = NormalisedContact("", "", False)
_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_WORD = re.compile(r"\b(" + "|".join(_DIGIT_WORDS) + r")\b", re.IGNORECASE)
# Single digits with separators between them ("4 1 5", "4-1-5"): written together they make a number.
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?:[ \t.\-]{1,3}\d(?![\d]))+")
_SEPARATOR = re.compile(r"[ \t.\-]")
# Seven digits with at most a few other characters between each: a phone number may be there.
_MAYBE_PHONE = re.compile(r"\d(?:\D{0,4}\d){6}")

_AT = r"(?:@|\bat\b)"
_DOT = r"(?:\.|\bdot\b)"
_BRACKETED_AT = re.compile(r"\s*[(\[{<]\s*" + _AT + r"\s*[)\]}>]\s*", re.IGNORECASE)
_BRACKETED_DOT = re.compile(r"\s*[(\[{<]\s*" + _DOT + r"\s*[)\]}>]\s*", re.IGNORECASE)
# "jane at gmail dot com": an "at" counts only when a "dot" and a domain ending follow.
_SPELT_OUT = re.compile(
    r"([\w.+-]+)\s+at\s+([\w-]+(?:\s*(?:\.|\bdot\b)\s*[\w-]+)*?\s*(?:\.|\bdot\b)\s*[a-z]{2,})\b", re.IGNORECASE
)
_SPACED_AT = re.compile(r"([\w.+-])\s+@\s*|\s*@\s+([\w-])")
_DOMAIN_DOT = re.compile(r"(@[\w.-]+?)\s*(?:\s\bdot\b\s|\s\.\s?|\.\s)\s*([a-z]{2,}\b)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# "photo@2x.png" looks like an address: a domain ending as a file name does is not one.
_FILE_ENDINGS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "pdf", "heic", "bmp"})


def phones_in(text: str, region: str = "US") -> list[NormalisedContact]:
    """Every valid phone number in `text`, in order, each once."""
    text = _undisguised_digits(text)
    if not _MAYBE_PHONE.search(text):
        return []  # most descriptions: no need to run the matcher
    found: dict[str, NormalisedContact] = {}
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        contact = normalise_phone(match.raw_string, region)
        if contact.valid:
            found.setdefault(contact.value, contact)
    return list(found.values())


def emails_in(text: str) -> list[NormalisedContact]:
    """Every valid e-mail address in `text`, in order, each once."""
    text = _undisguised_email(text)
    if "@" not in text:
        return []
    found: dict[str, NormalisedContact] = {}
    for match in _EMAIL.finditer(text):
        contact = normalise_email(match.group().strip("."))
        if contact.valid and contact.value.rpartition(".")[2].lower() not in _FILE_ENDINGS:
            found.setdefault(contact.value.lower(), contact)
    return list(found.values())


def contacts_extract(text: str, region: str = "US") -> tuple[NormalisedContact, NormalisedContact]:
    """(e-mail, phone): the first valid one of each written in `text`; an empty contact for none."""
    emails = emails_in(text)
    phones = phones_in(_without(text, emails), region)
    return (emails[0] if emails else _NOTHING), (phones[0] if phones else _NOTHING)


def _without(text: str, emails: list[NormalisedContact]) -> str:
    # Digits inside an e-mail address ("bob4155550165@...") are not a phone number of their own.
    if not emails:
        return text
    return _EMAIL.sub(" ", _undisguised_email(text))


def _undisguised_digits(text: str) -> str:
    if _WORD.search(text):
        text = _WORD.sub(lambda match: _DIGIT_WORDS[match.group().lower()], text)
    return _SPACED_DIGITS.sub(lambda match: _SEPARATOR.sub("", match.group()), text)


def _undisguised_email(text: str) -> str:
    text = _BRACKETED_AT.sub("@", text)
    text = _BRACKETED_DOT.sub(".", text)
    text = _SPELT_OUT.sub(lambda match: f"{match.group(1)}@{_dotted(match.group(2))}", text)
    text = _SPACED_AT.sub(lambda match: f"{match.group(1) or ''}@{match.group(2) or ''}", text)
    for _ in range(3):  # "jane@mail dot example dot com": one dot at a time
        text, count = _DOMAIN_DOT.subn(r"\1.\2", text)
        if not count:
            break
    return text


def _dotted(domain: str) -> str:
    return re.sub(r"\s*(?:\.|\bdot\b)\s*", ".", domain, flags=re.IGNORECASE)
