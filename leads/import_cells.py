"""Import cells back to the values an export wrote, and the cells an import must refuse.

What an export does to a text cell, this module undoes exactly, so an exported file re-imports as
it was (tests/roundtrip/ proves it for arbitrary text):

- CSV and Excel: the formula-injection quote (leads.cell_safety.unneutralise removes only the
  quote the exporter added, so a genuine leading apostrophe stays);
- Excel: "_xHHHH_" escapes (ECMA-376 ST_Xstring; openpyxl hands the escaped text over), decoded
  before the quote is removed. Only the escapes writers actually use are decoded: "_x005F_" (an
  underscore: Excel writes a literal "_x0041_" as "_x005F_x0041_") and those of control characters
  and U+FFFE/U+FFFF. LibreOffice reads the same ones, and writes a literal "_x0041_" unescaped: a
  file it saved keeps that text as written.

Refused, with the row and column named (the file is not imported, nothing is saved):

- a NUL character or a lone surrogate, which PostgreSQL cannot store (and SQLite would store
  silently, so the databases would hold different data);
- a cell that ends with the export's cut marker (leads.cell_safety.CUT_MARKER): the
  workbook could not hold the whole value, and importing it would overwrite the stored one.
"""

import re
from collections.abc import Sequence

from leads.cell_safety import CUT_MARKER, unneutralise
from leads.validators import storable_text_problem

MAX_REPORTED = 20  # problems named in one message; the rest are counted
_XLSX_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def decode_xlsx_text(text: str) -> str:
    """Decode the ST_Xstring escapes writers use: "_x005F_x0041_" is "_x0041_", "_x0009_" a tab; "_x0041_" stays."""
    if "_x" not in text:
        return text
    return _XLSX_ESCAPE.sub(_decoded, text)


def _decoded(match: re.Match) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code < 0x20 or code in (0x5F, 0xFFFE, 0xFFFF) else match.group(0)


def imported_cells(cells: Sequence, *, format: str) -> list:
    """A row's cells as the values the export started from (see the module docstring)."""
    if format == "json":
        return list(cells)
    decode = format == "xlsx"
    result = []
    for cell in cells:
        if isinstance(cell, str):
            if decode:
                cell = decode_xlsx_text(cell)
            cell = unneutralise(cell)
        result.append(cell)
    return result


CUT_PROBLEM = f"ends with “{CUT_MARKER.strip()}”"
CUT_EXPLAINED = (
    "A cell that ends with the cut marker is not the whole value (the export had to cut it to fit Excel), "
    "so it is never imported over the stored value: restore the whole text, or leave the column out."
)


def cell_problems(cells: Sequence, *, headers: Sequence[str], number: int) -> list[str]:
    """Why each cell of lead row `number` cannot be imported, as "row 12, title: ..." sentences."""
    problems = []
    for header, cell in zip(headers, cells, strict=True):
        if not isinstance(cell, str):
            continue
        problem = storable_text_problem(cell)
        if problem is None and cell.endswith(CUT_MARKER):
            problem = CUT_PROBLEM
        if problem is not None:
            problems.append(f"row {number}, {header}: {problem}")
    return problems


def problems_message(problems: Sequence[str]) -> str:
    """One message for the file: the first MAX_REPORTED problems, then how many more, and what a cut cell is."""
    shown = "; ".join(problems[:MAX_REPORTED])
    more = len(problems) - MAX_REPORTED
    suffix = f"; and {more:,} more" if more > 0 else ""
    explained = f" {CUT_EXPLAINED}" if any(problem.endswith(CUT_PROBLEM) for problem in problems) else ""
    return f"The file was not imported: {shown}{suffix}.{explained} Nothing was saved."
