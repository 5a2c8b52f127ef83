"""Where a person's phone number or e-mail address is written in a text, however it is spelt.

An erasure (and the write path, for a suppressed person) cuts the person's contact data out of a
lead's title and description. Cutting only the stored spelling would leave "(415) 555-0165" in a
text whose lead holds "+14155550165", so:

- phones: every number `leads.contact_extraction` would find in the text (the same undoing of
  disguises, "four one five…" and "4 1 5…", then `phonenumbers.PhoneNumberMatcher`) whose
  normalised form has one of the given keys (`leads.contact_keys`) is cut, the disguise with it.
  The undisguised text keeps, for each of its characters, where it came from in the original;
- e-mail addresses: the address with any letter case, and with the "@" and dots spelt out as the
  extraction undoes them ("jo (at) example (dot) com", "jo at example dot com", "jo @ example . com").
"""

import re
from collections.abc import Callable, Iterable

import phonenumbers

from leads import contact_extraction as extraction
from leads.contact_keys import phone_key
from leads.contact_normalisation import DEFAULT_REGION, normalise_phone

Span = tuple[int, int]  # [start, end) in the original text

_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:@|at)\s*[)\]}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:\.|dot)\s*[)\]}>]\s*|\s+dot\s+)"


def phone_spans(text: str, *, keys: set[str], region: str = DEFAULT_REGION) -> list[Span]:
    """Where in `text` a phone number whose key is in `keys` is written (as the extraction reads numbers)."""
    if not text or not keys or not extraction._undisguised_digits(text):
        return []
    undisguised, origin = _undisguised_digits_mapped(text)
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(undisguised, region, leniency=phonenumbers.Leniency.VALID):
        contact = normalise_phone(match.raw_string, region)
        if contact.valid and phone_key(contact.value, normalised=True) in keys:
            spans.append((origin[match.start][0], origin[match.end - 1][1]))
    return spans


def email_pattern(address: str) -> re.Pattern | None:
    """A pattern for `address` in any letter case and with its "@" and dots spelt out (None: not an address)."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        return None
    parts = [re.escape(part) for part in domain.split(".") if part]
    return re.compile(
        rf"(?<![\w.+-]){re.escape(local)}{_AT}{_DOT.join(parts)}(?![\w-]|\.[\w-])",
        re.IGNORECASE,
    )


def email_spans(text: str, *, addresses: Iterable[str]) -> list[Span]:
    """Where in `text` any of `addresses` is written, in any letter case or spelt out."""
    spans = []
    for address in addresses:
        pattern = email_pattern(address)
        if pattern is not None and text:
            spans += [match.span() for match in pattern.finditer(text)]
    return spans


def spans_cut(text: str, spans: Iterable[Span], replacement: str) -> str:
    """`text` with each span (overlapping ones joined) replaced by `replacement`."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, last = [], 0
    for start, end in merged:
        pieces += [text[last:start], replacement]
        last = end
    return "".join(pieces) + text[last:]


# The extraction's undoing of disguised digits, keeping where each character came from -------------


def _undisguised_digits_mapped(text: str) -> tuple[str, list[Span]]:
    """What `extraction._undisguised_digits` makes of `text` (when it makes anything), with origins."""
    origin = [(index, index + 1) for index in range(len(text))]
    text, origin = _mapped_sub(extraction._WORD, _word_digit, text, origin)
    return _mapped_sub(extraction._SPACED_DIGITS, _joined_digits, text, origin)


def _word_digit(match: re.Match, origin: list[Span]) -> tuple[str, list[Span]]:
    return extraction._DIGIT_WORDS[match.group().lower()], [(origin[match.start()][0], origin[match.end() - 1][1])]


def _joined_digits(match: re.Match, origin: list[Span]) -> tuple[str, list[Span]]:
    kept = [(char, origin[match.start() + offset]) for offset, char in enumerate(match.group())]
    kept = [(char, span) for char, span in kept if not extraction._SEPARATOR.fullmatch(char)]
    return "".join(char for char, _ in kept), [span for _, span in kept]


def _mapped_sub(
    pattern: re.Pattern, replace: Callable[[re.Match, list[Span]], tuple[str, list[Span]]], text: str, origin
) -> tuple[str, list[Span]]:
    pieces: list[str] = []
    spans: list[Span] = []
    last = 0
    for match in pattern.finditer(text):
        new, new_spans = replace(match, origin)
        pieces += [text[last : match.start()], new]
        spans += [*origin[last : match.start()], *new_spans]
        last = match.end()
    pieces.append(text[last:])
    spans += origin[last:]
    return "".join(pieces), spans
