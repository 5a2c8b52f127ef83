"""Text a lead can store on every database: no NUL character, no lone surrogate.

PostgreSQL text cannot hold NUL (U+0000), and neither database can hold a lone surrogate
(U+D800 to U+DFFF without its pair: UTF-8 cannot encode it); SQLite would store a NUL silently, so
the two databases would end up holding different data. The Lead text fields carry
`validate_storable_text`, so the admin form, the import (full_clean) and any other way in refuse
such text with the same sentence; leads.import_cells applies the same check to every cell of a file.
"""

import re

from django.core.exceptions import ValidationError

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text_problem(text: str) -> str | None:
    """None, or why `text` cannot be stored ("contains a NUL character (U+0000)...")."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    position = found.start() + 1
    if char == "\x00":
        return f"contains a NUL character (U+0000) at character {position:,}, which a lead cannot store"
    return f"contains a lone surrogate (U+{ord(char):04X}) at character {position:,}, which is not valid text"


def validate_storable_text(value) -> None:
    """Field validator: raise ValidationError for text with a NUL character or a lone surrogate."""
    if not isinstance(value, str):
        return
    problem = storable_text_problem(value)
    if problem is not None:
        raise ValidationError(problem[0].upper() + problem[1:] + ".", code="unstorable_text")
