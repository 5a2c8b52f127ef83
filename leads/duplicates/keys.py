"""What makes two leads the same: contact keys and text similarity, defined once.

Contact keys are database expressions, so the batch recompute, the incremental link and the
expression indexes (leads.models) all use the same form:
- phone: the stored value without spaces, dashes, dots, brackets or "+", at least
  MIN_PHONE_DIGITS long. Phones are stored in E.164 (leads.contact_normalisation), so the key of a
  valid number is its E.164 digits and every way of writing it gives one key; a number that could
  not be parsed is kept as posted and matches the same digits written with other separators.
- e-mail: the stored (normalised: trimmed, domain lower-cased) address, lower-cased whole, since
  mailboxes that differ only in case are one person in practice.

Text similarity is pg_trgm's: the share of trigrams two titles have in common, computed here in
Python (`trigram_similarity`, checked against pg_trgm's similarity() in the tests) and used on
every database by leads.duplicates.text_matching, so both group alike.
"""

import re
from functools import lru_cache

from django.db.models import F, Func, Value
from django.db.models.functions import Lower, Replace

MIN_PHONE_DIGITS = 7
PHONE_SEPARATORS = (" ", "-", "(", ")", ".", "+")
_WORD = re.compile(r"[^\W_]+")  # pg_trgm's words: runs of letters and digits


def email_key_expression() -> Func:
    return Lower(F("email"))


def phone_key_expression() -> Func:
    expression = F("phone")
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigram set: each lower-cased word padded with two spaces before and one after."""
    words = _WORD.findall(text.lower())
    if len(words) == 1:
        return _word_trigrams(words[0])
    return frozenset().union(*map(_word_trigrams, words))


@lru_cache(maxsize=100_000)
def _word_trigrams(word: str) -> frozenset[str]:
    # Words repeat across posts far more than whole texts do: each word's trigrams are made once.
    padded = f"  {word} "
    return frozenset(padded[index : index + 3] for index in range(len(padded) - 2))


def trigram_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two texts."""
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)  # the union's size, without building it
