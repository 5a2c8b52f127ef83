"""Formula-injection neutralising and spreadsheet cell limits.

Formula injection (OWASP "CSV Injection"): a spreadsheet opening an exported file may run a cell
that starts with a formula trigger, and lead text comes from strangers' Craigslist posts. So:

- Every text cell in CSV and Excel files that starts with ``=``, ``+``, ``-``, ``@``, a tab, a
  carriage return or a line feed gets a leading single quote (``'=1+1``), which spreadsheets show
  as text. This applies to every text column, including phone numbers ("+1 415...") and
  update-ready files; an importer reading such a file back strips the quote again with
  `formula_unescape`, which removes it only where `neutralise` would have added it.
- Numbers (ids, prices) and dates are written as numbers and dates, never prefixed.
- Excel cells are always written as typed values (inline strings and numbers, see
  exports.formats.sheetml), never as formulas, whatever the text looks like.
- JSON keeps the raw values: it is data for programs, not a spreadsheet.

Excel limits, applied to every Excel text cell (`excel_text`; CSV and JSON keep the text whole):

- Characters XML 1.0 cannot hold (control characters other than tab, line feed and carriage
  return, and the non-characters U+FFFE/U+FFFF) are removed; CSV and JSON keep them.
- A cell holds at most 32,767 characters (counted in UTF-16 units, as Excel does): longer
  text is cut to the limit, after the quote prefix. CSV and JSON keep the full text.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"
EXCEL_CELL_MAX = 32_767

_TRIGGERS = frozenset(FORMULA_TRIGGERS)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(text: str) -> str:
    """`text` with a leading single quote when it starts with a formula trigger."""
    if text and text[0] in _TRIGGERS:
        return QUOTE + text
    return text


def formula_unescape(text: str) -> str:
    """Undo `neutralise`: the quote is removed only where neutralise would have added it."""
    if len(text) > 1 and text[0] == QUOTE and text[1] in _TRIGGERS:
        return text[1:]
    return text


def excel_text(text: str) -> str:
    """A neutralised text fit for one Excel cell: XML-illegal characters removed, cut to the cell limit.

    `text` must not be empty; the result may be (a text of control characters only).
    """
    if not text.isprintable():  # fast path: most cells hold no control character at all
        # Removed before the trigger check, so "\x00=1+1" cannot become a bare "=1+1".
        text = _XML_ILLEGAL.sub("", text)
        if not text:
            return text
    if text[0] in _TRIGGERS:
        text = QUOTE + text
    if len(text) > EXCEL_CELL_MAX // 2:
        text = cut_utf16(text, EXCEL_CELL_MAX)
    return text


def cut_utf16(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, never splitting a surrogate pair."""
    encoded = text.encode("utf-16-le")
    if len(encoded) <= limit * 2:
        return text
    return encoded[: limit * 2].decode("utf-16-le", errors="ignore")
