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
_SPACED_DIGITS = re.compile(r"\d(?<![\d.]\d)(?:[ \t.\-]{1,3}\d(?!\d))+")
_SEPARATOR = re.compile(r"[ \t.\-]")
_LETTERS = re.compile(r"[a-z]+")
# Seven digits with at most a few other characters between each: a phone number may be there.
_MAYBE_PHONE = re.compile(r"\d(?:\D{0,4}\d){6}")

# Each pattern starts with a literal or a character class, so the engine can skip ahead quickly.
_BRACKETED_AT = re.compile(r"[(\[{<]\s*(?:@|at)\s*[)\]}>]", re.IGNORECASE)
_BRACKETED_DOT = re.compile(r"[(\[{<]\s*(?:\.|dot)\s*[)\]}>]", re.IGNORECASE)
_BRACKET_OPENINGS = tuple(f"{bracket}{space}{at}" for bracket in "([{<" for space in ("", " ") for at in ("at", "@"))
_AT_WORD = re.compile(r"\s+at\s+", re.IGNORECASE)
_LOCAL_PART = re.compile(r"[\w.+-]+\Z")  # the end of the word before "at"
# After "jane at ": "gmail dot com", "mail.example dot co dot uk" (an "at" counts only when a dot and an ending follow).
_SPELT_DOMAIN = re.compile(r"[\w-]+(?:\s*(?:\.|\bdot\b)\s*[\w-]+)*?\s*(?:\.|\bdot\b)\s*[a-z]{2,}\b", re.IGNORECASE)
_SPACED_AT = re.compile(r"[ \t]+@[ \t]*|@[ \t]+")
_DOMAIN_DOT = re.compile(r"(@[\w.-]+?)\s*(?:\s\bdot\b\s|\s\.\s?)\s*([a-z]{2,}\b)", re.IGNORECASE)
# "jane@gmail. com", only while the domain has no dot yet: in "jane@gmail.com. Price" the sentence ended.
_DOMAIN_DOT_SPACE = re.compile(r"(@[\w-]+)\.[ \t]+([a-z]{2,}\b)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# "photo@2x.png" looks like an address: a domain ending as a file name does is not one.
_FILE_ENDINGS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "pdf", "heic", "bmp"})


def phones_in(text: str, region: str = "US") -> list[NormalisedContact]:
    """Every valid phone number in `text`, in order, each once."""
    text = _undisguised_digits(text)
    if not text:
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
    """`text` with number words as digits and spaced-out digits joined; "" when it cannot hold a phone."""
    digits = sum(text.count(digit) for digit in "0123456789")
    if digits < 7:  # a phone needs seven digits: count the number words too (only then: it costs more)
        lowered = text.lower()
        if not any(word in lowered for word in _DIGIT_WORDS):
            return ""
        digits += sum(word in _DIGIT_WORDS for word in _LETTERS.findall(lowered))
        if digits < 7:
            return ""
    if _WORD.search(text):
        text = _WORD.sub(lambda match: _DIGIT_WORDS[match.group().lower()], text)
    if not _MAYBE_PHONE.search(text):
        return ""  # no seven digits close together: no phone number, spaced out or not
    return _SPACED_DIGITS.sub(lambda match: _SEPARATOR.sub("", match.group()), text)


def _undisguised_email(text: str) -> str:
    lowered = text.lower()
    if any(opening in lowered for opening in _BRACKET_OPENINGS):
        text = _BRACKETED_DOT.sub(".", _BRACKETED_AT.sub("@", text))
    elif "@" not in text and " at " not in lowered:
        return text  # neither an "@" nor an "at": no e-mail address, however disguised
    text = _spelt_out(text)
    if "@" not in text:
        return text
    text = _SPACED_AT.sub("@", text)
    for _ in range(3):  # "jane@mail dot example dot com": one dot at a time
        text, count = _DOMAIN_DOT.subn(r"\1.\2", text)
        text, spaced = _DOMAIN_DOT_SPACE.subn(r"\1.\2", text)
        if not count + spaced:
            break
    return text


def _spelt_out(text: str) -> str:
    """ "jane at gmail dot com" -> "jane@gmail.com"; other "at"s are left alone."""
    lowered = text.lower()
    pieces, last, start = [], 0, 0
    while (found := lowered.find(" at ", start)) >= 0:  # str.find: far quicker than a pattern scan
        start = found + 3
        at = _AT_WORD.search(text, max(found - 16, last), found + 20)
        if at is None or at.start() < last:
            continue
        domain = _SPELT_DOMAIN.match(text, at.end())
        if domain is None:
            continue
        before = text[max(last, at.start() - 64) : at.start()].rsplit(None, 1)
        local = _LOCAL_PART.search(before[-1]) if before else None
        if local is None:
            continue
        pieces += [text[last : at.start() - len(local.group())], local.group(), "@", _dotted(domain.group())]
        last = start = domain.end()
    return "".join(pieces) + text[last:] if pieces else text


def _dotted(domain: str) -> str:
    return re.sub(r"\s*(?:\.|\bdot\b)\s*", ".", domain, flags=re.IGNORECASE)
