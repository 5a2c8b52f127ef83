"""What exports do to a text cell and imports undo: the one rule, used by every writer, the COPY path
and the importer (here, at the bottom of the dependencies, so the lead import can use it too).

Formula injection (OWASP "CSV Injection"): a spreadsheet opening an exported file may run a cell
that starts with a formula trigger, and lead text comes from strangers' Craigslist posts. So:

- A text cell gets a leading single quote (``'=1+1``), which spreadsheets show as text, when it
  starts with a formula trigger (``=``, ``+``, ``-``, ``@``, tab, CR, LF) after any number of
  *transparent* characters: characters spreadsheet programs drop or skip when they read a cell
  (control characters such as NUL, spaces, zero-width and byte-order marks). LibreOffice drops a
  leading NUL, so ``"\\x00=1+1"`` would otherwise open as a live formula.
- The rule is reversible: a text that already starts with a quote (``'=already quoted``,
  ``'+1 415 ...``, ``'tis``) gets one more, so `unneutralise` removes exactly the quote
  `neutralise` added and a genuine leading apostrophe survives an export and re-import. (Readers
  that take a leading quote as "text follows", such as gnumeric, then show the stored text.)
- Numbers and dates are written as numbers and dates, never prefixed; JSON keeps the raw values.

`TRANSPARENT_RANGES` and `FORMULA_TRIGGERS` are the one definition: the Python pattern and the
PostgreSQL pattern (`postgres_pattern`, used by exports.formats.pg_copy) are both generated from them.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# The end of a cell a workbook could not hold whole (exports.formats.sheetml); an import refuses such a cell.
CUT_MARKER = " [cut by export: see the Notes sheet]"
QUOTE = "'"
# Code-point ranges (inclusive) a spreadsheet may skip before it looks for a formula trigger.
TRANSPARENT_RANGES = (
    (0x00, 0x08),  # C0 controls (tab, LF and CR are triggers themselves)
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x20, 0x20),  # space
    (0x7F, 0xA0),  # DEL, C1 controls, no-break space
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200F),  # spaces, zero-width characters, direction marks
    (0x2028, 0x202F),
    (0x205F, 0x2064),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),  # byte-order mark / zero-width no-break space
    (0xFFF9, 0xFFFB),
    (0xFFFE, 0xFFFF),
)


def _python_class(ranges) -> str:
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)


def _trigger_class() -> str:
    return "".join(f"\\U{ord(char):08x}" for char in FORMULA_TRIGGERS)


_NEEDS_QUOTE = re.compile(f"'|[{_python_class(TRANSPARENT_RANGES)}]*[{_trigger_class()}]")
# Only a text starting with one of these can need the quote: a set lookup spares the regex for most cells.
FIRST_CHARACTERS = frozenset(
    {QUOTE, *FORMULA_TRIGGERS, *(chr(code) for low, high in TRANSPARENT_RANGES for code in range(low, high + 1))}
)


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula, or it starts with a quote (which a reader may drop)."""
    return bool(text) and text[0] in FIRST_CHARACTERS and _NEEDS_QUOTE.match(text) is not None


def neutralise(text: str) -> str:
    """`text` with a leading single quote when `needs_quote`; otherwise unchanged."""
    return QUOTE + text if needs_quote(text) else text


def unneutralise(text: str) -> str:
    """Undo `neutralise` exactly: remove the first quote only where neutralise would have added it."""
    if len(text) > 1 and text[0] == QUOTE and needs_quote(text[1:]):
        return text[1:]
    return text


def postgres_pattern() -> str:
    """`needs_quote` as a PostgreSQL regular expression (pass it as a parameter to ``~``).

    PostgreSQL text cannot hold NUL, and its regular expressions cannot name it, so the ranges start at 1.
    """

    def char(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    transparent = "".join(f"{char(max(low, 1))}-{char(high)}" for low, high in TRANSPARENT_RANGES if high >= 1)
    triggers = "".join(char(ord(trigger)) for trigger in FORMULA_TRIGGERS)
    return f"^('|[{transparent}]*[{triggers}])"
